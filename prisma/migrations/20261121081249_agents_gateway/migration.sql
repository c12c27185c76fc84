-- AlterTable
ALTER TABLE "Mission" ADD COLUMN     "gatewayTokenHash" TEXT,
ADD COLUMN     "inputTokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "modelCalls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outputTokens" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ModelCall" (
    "id" BIGSERIAL NOT NULL,
    "missionId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "api" TEXT NOT NULL,
    "model" TEXT,
    "httpStatus" INTEGER NOT NULL,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "cacheTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "durationMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelCall_missionId_idx" ON "ModelCall"("missionId");

-- CreateIndex
CREATE INDEX "ModelCall_teamId_createdAt_idx" ON "ModelCall"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "ModelCall_workspaceId_idx" ON "ModelCall"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "Mission_gatewayTokenHash_key" ON "Mission"("gatewayTokenHash");

-- AddForeignKey
ALTER TABLE "ModelCall" ADD CONSTRAINT "ModelCall_missionId_fkey" FOREIGN KEY ("missionId") REFERENCES "Mission"("id") ON DELETE CASCADE ON UPDATE CASCADE;
