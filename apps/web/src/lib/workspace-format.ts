import type { NetworkPolicy } from '@garrison/core';
import type { WorkspaceTemplate } from './api-types';

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(bytes >= 10 * 1024 ** 3 ? 0 : 1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function formatMemoryMb(memoryMb: number): string {
  return memoryMb >= 1024 && memoryMb % 1024 === 0 ? `${memoryMb / 1024} GB` : `${memoryMb} MB`;
}

export function formatCpus(cpus: number): string {
  return `${Number.isInteger(cpus) ? cpus : cpus.toFixed(1)} CPU${cpus === 1 ? '' : 's'}`;
}

/** `2 CPUs · 2 GB · 512 processes` */
export function describeLimits(limits: { cpus: number; memoryMb: number; pidsLimit: number } | null | undefined): string {
  if (!limits) return '—';
  return `${formatCpus(limits.cpus)} · ${formatMemoryMb(limits.memoryMb)} · ${limits.pidsLimit} processes`;
}

export const NETWORK_POLICY_LABEL: Record<NetworkPolicy, string> = {
  none: 'No network',
  model_only: 'Model gateway only',
  egress: 'Outbound internet',
  open: 'Open',
};

/** One line for a template picker: image, network policy and limits. */
export function describeTemplate(template: WorkspaceTemplate): string {
  return `${template.image} · ${NETWORK_POLICY_LABEL[template.networkPolicy]} · ${describeLimits(template)}`;
}

