-- AlterTable
ALTER TABLE "Mission" ADD COLUMN     "eventsPrunedAt" TIMESTAMP(3),
ADD COLUMN     "prunedThroughSeq" INTEGER;
