import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * The Prisma CLI downloads a native schema engine on first use, which cannot happen on an offline
 * host. The official wasm build of the same engine, driven through the pg driver adapter, applies
 * the same migrations into the same `_prisma_migrations` table with the same checksums, so
 * `prisma migrate deploy` stays interchangeable wherever the binary exists.
 */
let initialized = false;

function initializeWasm(): void {
  if (initialized) return;
  // The package's own entry imports the .wasm file as an ES module, which Node cannot load.
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': engineBindings as never });
  engineBindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  initialized = true;
}

export type SchemaEngine = engineBindings.SchemaEngine;

export async function openSchemaEngine(databaseUrl: string, schemaPath: string, schema: string): Promise<SchemaEngine> {
  initializeWasm();
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  return engineBindings.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapterFactory);
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };
