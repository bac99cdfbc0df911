-- CreateTable
CREATE TABLE "UserQuota" (
    "userId" UUID NOT NULL,
    "maxStoredBytes" BIGINT,
    "maxConcurrentJobs" INTEGER,
    "maxExpensiveRequestsPerMinute" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "UserQuota_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "RateLimitState" (
    "userId" UUID NOT NULL,
    "bucket" TEXT NOT NULL,
    "tat" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RateLimitState_pkey" PRIMARY KEY ("userId","bucket")
);

-- AddForeignKey
ALTER TABLE "UserQuota" ADD CONSTRAINT "UserQuota_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RateLimitState" ADD CONSTRAINT "RateLimitState_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
