package io.corral.manager.task;

import io.corral.api.ReplicatedJob;

/**
 * A replicated job's total completions and concurrency, each defaulting to the other, and to 1 when
 * both are 0.
 */
public record JobLimits(long total, long concurrent) {

  public static JobLimits of(ReplicatedJob job) {
    long total = job.getTotalCompletions();
    long concurrent = job.getMaxConcurrent();
    if (total == 0 && concurrent == 0) {
      return new JobLimits(1, 1);
    }
    return new JobLimits(total == 0 ? concurrent : total, concurrent == 0 ? total : concurrent);
  }
}
