-- AlterEnum
ALTER TYPE "RepositoryStatus" ADD VALUE 'awaiting_key';
