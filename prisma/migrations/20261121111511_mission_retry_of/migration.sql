-- AlterTable
ALTER TABLE "Mission" ADD COLUMN     "retryOfId" TEXT;

-- CreateIndex
CREATE INDEX "Mission_retryOfId_idx" ON "Mission"("retryOfId");

-- AddForeignKey
ALTER TABLE "Mission" ADD CONSTRAINT "Mission_retryOfId_fkey" FOREIGN KEY ("retryOfId") REFERENCES "Mission"("id") ON DELETE SET NULL ON UPDATE CASCADE;
