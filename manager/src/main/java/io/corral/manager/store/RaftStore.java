package io.corral.manager.store;

import io.corral.api.StoreBatch;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's store: a member of the cluster's Raft group (Apache Ratis over gRPC with mutual
 * TLS) whose state machine keeps every object in memory. Reads come from this replica; writes go
 * through the leader, wherever it is, and return once applied here.
 */
public final class RaftStore implements Store, RaftView {

  private static final Logger LOG = LoggerFactory.getLogger(RaftStore.class);
  private static final java.time.Duration STAGING_TIMEOUT = java.time.Duration.ofSeconds(10);

  private final RaftStoreConfig config;
  private final StoreReplica replica = new StoreReplica(StoreReplica.DEFAULT_WATCH_CAPACITY);
  private final RaftGroupId groupId;
  private final RaftServer server;
  private final RaftStoreClient client;
  private volatile boolean closed;

  private RaftStore(RaftStoreConfig config) throws IOException {
    this.config = config;
    this.groupId = RatisSettings.groupId(config.clusterId());
    this.server =
        RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(config.self().id()))
            .setGroup(RatisSettings.group(config.clusterId(), config.members()))
            .setStateMachine(new CorralStateMachine(replica))
            .setProperties(serverProperties(config))
            .setParameters(RatisSettings.tls(config.keyManager(), config.trustManager()))
            // Recovers the log, metadata and snapshots the data dir holds; formats an empty one.
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    this.client =
        RaftStoreClient.connect(
            config.clusterId(),
            config.members(),
            config.keyManager(),
            config.trustManager(),
            config.tuning());
  }

  /**
   * Starts this manager's replica; it joins elections at once and serves reads from local state.
   */
  public static RaftStore start(RaftStoreConfig config) throws IOException {
    RaftStore store = new RaftStore(config);
    store.server.start();
    LOG.info(
        "store member {} started at {} (group {})",
        config.self().id(),
        config.self().address(),
        store.groupId);
    return store;
  }

  private static RaftProperties serverProperties(RaftStoreConfig config) {
    RaftTuning t = config.tuning();
    RaftProperties p = RatisSettings.clientProperties(t);
    RaftServerConfigKeys.setStorageDir(p, List.of(new File(config.dataDir().toFile(), "raft")));
    GrpcConfigKeys.Server.setHost(p, config.self().host());
    GrpcConfigKeys.Server.setPort(p, config.self().port());
    RaftServerConfigKeys.Rpc.setTimeoutMin(
        p, RatisSettings.millis(t.electionTimeoutMin().toMillis()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(
        p, RatisSettings.millis(t.electionTimeoutMax().toMillis()));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(
        p, RatisSettings.millis(t.electionTimeoutMin().toMillis()));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(
        p, RatisSettings.millis(t.electionTimeoutMax().toMillis()));
    RaftServerConfigKeys.Rpc.setRequestTimeout(
        p, RatisSettings.millis(t.requestTimeout().toMillis()));
    // A joining manager is a fresh JVM that may also need a snapshot: on a loaded small machine it
    // can make no
    // visible progress for seconds, and Ratis' default (derived from our short RPC timeouts) then
    // fails the
    // configuration change with NOPROGRESS.
    RaftServerConfigKeys.setStagingTimeout(p, RatisSettings.millis(STAGING_TIMEOUT.toMillis()));
    // Pre-vote keeps a member that was cut off from disrupting a healthy leader when it comes back.
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(
        p, RatisSettings.millis(t.leaderStepDownWait().toMillis()));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, t.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, t.snapshotsRetained());
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(t.logSegmentBytes()));
    return p;
  }

  @Override
  public <T> T view(Function<ReadTx, T> reader) {
    return replica.view(reader);
  }

  @Override
  public CommitResult update(Consumer<WriteTx> writer) {
    if (closed) {
      throw new StoreException(StoreException.Code.CLOSED, "store is closed");
    }
    PendingWrites tx =
        replica.view(
            base -> {
              PendingWrites w = new PendingWrites(base);
              writer.accept(w);
              return w;
            });
    if (tx.isEmpty()) {
      return new CommitResult(replica.appliedIndex(), List.of());
    }
    StoreBatch batch = tx.toBatch(Stamps.now());
    long index = client.commit(batch);
    awaitLocal(index);
    return new CommitResult(index, PendingWrites.stamped(batch, index));
  }

  /** Read-your-writes: on a follower the commit may not be applied here yet. */
  private void awaitLocal(long index) {
    try {
      if (!replica.awaitApplied(index, config.tuning().writeTimeout())) {
        throw new StoreException(
            StoreException.Code.TIMEOUT,
            "write committed at index "
                + index
                + " but this manager has not applied it within "
                + config.tuning().writeTimeout().toSeconds()
                + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          StoreException.Code.TIMEOUT, "interrupted while waiting for index " + index);
    }
  }

  @Override
  public Watch watch(Predicate<StoreEvent> filter) {
    return replica.watch(filter);
  }

  @Override
  public <T> Snapshot<T> viewAndWatch(Function<ReadTx, T> reader, Predicate<StoreEvent> filter) {
    return replica.viewAndWatch(reader, filter);
  }

  @Override
  public long snapshot() {
    return client.snapshot(config.self().id());
  }

  /** The client this member uses for its own writes; also reaches other members. */
  public RaftStoreClient client() {
    return client;
  }

  @Override
  public Map<String, Boolean> reachability() {
    return client.reachabilityOf(members());
  }

  /** The Raft timing and storage settings this member runs with. */
  public RaftTuning tuning() {
    return config.tuning();
  }

  @Override
  public String selfId() {
    return config.self().id();
  }

  @Override
  public boolean isLeader() {
    return info().map(DivisionInfo::isLeader).orElse(false);
  }

  @Override
  public Optional<String> leaderId() {
    return info().map(DivisionInfo::getLeaderId).map(RaftPeerId::toString);
  }

  @Override
  public List<StorePeer> members() {
    try {
      return server.getDivision(groupId).getGroup().getPeers().stream()
          .map(RatisSettings::peer)
          .toList();
    } catch (IOException e) {
      throw new StoreException(StoreException.Code.CLOSED, "store member is not running: " + e);
    }
  }

  public long appliedIndex() {
    return replica.appliedIndex();
  }

  /**
   * Waits until this member knows a leader and has applied everything that was committed when it
   * learned of it: from then on its views are as fresh as the cluster's.
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        RaftServer.Division d = server.getDivision(groupId);
        DivisionInfo info = d.getInfo();
        boolean leaderKnown = info.isLeader() ? info.isLeaderReady() : info.getLeaderId() != null;
        if (leaderKnown) {
          long committed = d.getRaftLog().getLastCommittedIndex();
          if (replica.awaitApplied(
              committed, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            return true;
          }
        }
      } catch (IOException e) {
        // division not there yet
      }
      Thread.sleep(20);
    }
    return false;
  }

  private Optional<DivisionInfo> info() {
    try {
      return Optional.of(server.getDivision(groupId).getInfo());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    replica.closeWatches("store closed");
    client.close();
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("closing store member {}: {}", config.self().id(), e.toString());
    }
  }
}
