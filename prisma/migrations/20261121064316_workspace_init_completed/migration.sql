-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "initCompletedAt" TIMESTAMP(3);
