package io.corral.manager.store;

import java.time.Duration;

/**
 * Raft timing and storage settings. The defaults were measured on a 2-core machine: failover well
 * under 2 s, no leader flapping under load (see {@code bin/corral-bench store}).
 *
 * @param electionTimeoutMin lower bound of the randomised election timeout
 * @param electionTimeoutMax upper bound of the randomised election timeout
 * @param requestTimeout how long one Raft RPC may take before it is retried
 * @param writeTimeout how long a write waits for its commit before failing with a quorum error
 * @param leaderStepDownWait how long a leader that hears from no majority keeps leading
 * @param snapshotThreshold log entries between automatic snapshots
 * @param snapshotsRetained snapshot files kept on disk
 * @param logSegmentBytes size of one Raft log segment file
 */
public record RaftTuning(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration requestTimeout,
    Duration writeTimeout,
    Duration leaderStepDownWait,
    long snapshotThreshold,
    int snapshotsRetained,
    long logSegmentBytes) {

  public static RaftTuning defaults() {
    return new RaftTuning(
        Duration.ofMillis(300),
        Duration.ofMillis(600),
        Duration.ofSeconds(2),
        Duration.ofSeconds(4),
        Duration.ofSeconds(2),
        10_000,
        2,
        8L << 20);
  }

  /**
   * How often the leader sends heartbeats: Ratis sends them at half the minimum election timeout.
   */
  public Duration heartbeatInterval() {
    return electionTimeoutMin.dividedBy(2);
  }

  public RaftTuning withSnapshotThreshold(long entries) {
    return new RaftTuning(
        electionTimeoutMin,
        electionTimeoutMax,
        requestTimeout,
        writeTimeout,
        leaderStepDownWait,
        entries,
        snapshotsRetained,
        logSegmentBytes);
  }

  public RaftTuning withWriteTimeout(Duration timeout) {
    return new RaftTuning(
        electionTimeoutMin,
        electionTimeoutMax,
        requestTimeout,
        timeout,
        leaderStepDownWait,
        snapshotThreshold,
        snapshotsRetained,
        logSegmentBytes);
  }
}
