package io.corral.manager.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.corral.api.StoreBatch;
import io.corral.api.StoreCommitReply;
import io.corral.api.StoreDumpQuery;
import io.corral.api.StoreErrorCode;
import io.corral.api.StoreQuery;
import io.corral.api.StoreSnapshot;
import io.corral.api.StoreStatus;
import io.corral.api.StoreStatusQuery;
import io.corral.common.NamedThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Talks to a store's Raft group from anywhere (a manager, a tool, a test): commits batches through
 * whichever manager leads, reads one replica's state, and changes membership. Every call is bounded
 * in time.
 */
public final class RaftStoreClient implements AutoCloseable {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final RaftGroupId groupId;
  private final RaftTuning tuning;
  private final RaftProperties properties;
  private final Parameters parameters;
  private final RaftClient client;
  // Membership changes get their own client: one attempt may take as long as catching a new member
  // up, and a
  // blind retry of an "add" that already succeeded would re-add a member removed since.
  private final RaftClient admin;
  // Rebuilt when the membership changes: a Ratis client only addresses the peers it was built with.
  private volatile RaftClient probe;
  private volatile List<RaftPeer> peers;
  private final ExecutorService calls =
      Executors.newCachedThreadPool(NamedThreads.daemon("store-client"));

  private RaftStoreClient(
      String clusterId,
      List<StorePeer> members,
      KeyManager keyManager,
      TrustManager trustManager,
      RaftTuning tuning) {
    this.groupId = RatisSettings.groupId(clusterId);
    this.tuning = tuning;
    this.properties = RatisSettings.clientProperties(tuning);
    this.parameters = RatisSettings.tls(keyManager, trustManager);
    RaftGroup group = RatisSettings.group(clusterId, members);
    this.peers = List.copyOf(group.getPeers());
    // Retries find the leader after a failover; the write deadline, not the retry count, bounds a
    // call.
    long attempts = Math.max(10, tuning.writeTimeout().toMillis() / 50);
    this.client =
        newClient(
            group,
            RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                (int) attempts, RatisSettings.millis(50)));
    this.probe = newClient(group, RetryPolicies.noRetry());
    RaftProperties adminProperties = RatisSettings.clientProperties(tuning);
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        adminProperties, RatisSettings.millis(adminDeadline().toMillis()));
    this.admin =
        RaftClient.newBuilder()
            .setClientId(ClientId.randomId())
            .setRaftGroup(group)
            .setProperties(adminProperties)
            .setParameters(parameters)
            .setRetryPolicy(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep(20, RatisSettings.millis(100)))
            .build();
  }

  /** A client for the group of the given cluster, reaching it through any of the listed members. */
  public static RaftStoreClient connect(
      String clusterId,
      List<StorePeer> members,
      KeyManager keyManager,
      TrustManager trustManager,
      RaftTuning tuning) {
    return new RaftStoreClient(clusterId, members, keyManager, trustManager, tuning);
  }

  /** Catching up a new member (snapshot + log) can take much longer than a write. */
  private Duration adminDeadline() {
    return tuning.writeTimeout().multipliedBy(5);
  }

  private RaftClient newClient(RaftGroup group, RetryPolicy retry) {
    return RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(group)
        .setProperties(properties)
        .setParameters(parameters)
        .setRetryPolicy(retry)
        .build();
  }

  /**
   * Commits one batch and returns its log index.
   *
   * @throws StoreException the state machine's refusal (conflict…), or NO_QUORUM / TIMEOUT
   */
  public long commit(StoreBatch batch) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray()));
    // The async API pipelines concurrent writes on one stream; the blocking one serialises them.
    RaftClientReply reply = await("write", tuning.writeTimeout(), client.async().send(message));
    if (!reply.isSuccess()) {
      throw unavailable("write", tuning.writeTimeout(), reply.getException());
    }
    StoreCommitReply result = parse(reply, StoreCommitReply::parseFrom);
    if (result.getCode() != StoreErrorCode.STORE_OK) {
      throw new StoreException(CorralStateMachine.fromWire(result.getCode()), result.getMessage());
    }
    return result.getIndex();
  }

  /** The applied index and object count of one replica, without going through the leader. */
  public StoreStatus status(String peerId) {
    return query(
        peerId,
        StoreQuery.newBuilder().setStatus(StoreStatusQuery.getDefaultInstance()).build(),
        StoreStatus::parseFrom);
  }

  /** Every object one replica holds, without going through the leader. */
  public StoreSnapshot dump(String peerId) {
    return query(
        peerId,
        StoreQuery.newBuilder().setDump(StoreDumpQuery.getDefaultInstance()).build(),
        StoreSnapshot::parseFrom);
  }

  private <T> T query(String peerId, StoreQuery query, Parser<T> parser) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(query.toByteArray()));
    RaftClientReply reply =
        withDeadline(
            "read from " + peerId,
            tuning.requestTimeout(),
            () -> probeFor(peerId).io().sendStaleRead(message, 0, RatisSettings.peerId(peerId)));
    if (!reply.isSuccess()) {
      throw new StoreException(
          StoreException.Code.TIMEOUT,
          "manager " + peerId + " did not answer: " + reply.getException());
    }
    return parse(reply, parser);
  }

  /** The current leader as seen by the first member that answers, if any member knows one. */
  public Optional<String> leader() {
    for (RaftPeer peer : currentPeers()) {
      Optional<GroupInfoReply> info = groupInfo(peer.getId());
      if (info.isPresent() && info.get().getRoleInfoProto().hasFollowerInfo()) {
        var leader = info.get().getRoleInfoProto().getFollowerInfo().getLeaderInfo().getId();
        if (!leader.getId().isEmpty()) {
          return Optional.of(leader.getId().toStringUtf8());
        }
      }
      if (info.isPresent() && info.get().getRoleInfoProto().hasLeaderInfo()) {
        return Optional.of(peer.getId().toString());
      }
    }
    return Optional.empty();
  }

  /** The group's members as the first answering member knows them. */
  public List<StorePeer> members() {
    for (RaftPeer peer : currentPeers()) {
      Optional<GroupInfoReply> info = groupInfo(peer.getId());
      if (info.isPresent()) {
        usePeers(info.get().getGroup().getPeers());
        return peers.stream().map(RatisSettings::peer).toList();
      }
    }
    throw noQuorum("read the member list", 0);
  }

  /** Adds a manager to the group; it must already be running with this group's id. */
  public void addMember(StorePeer peer) {
    List<RaftPeer> next = new ArrayList<>(freshPeers());
    next.removeIf(p -> p.getId().toString().equals(peer.id()));
    next.add(RatisSettings.peer(peer));
    setConfiguration(next, "add manager " + peer.id());
  }

  /** Removes a manager from the group. */
  public void removeMember(String peerId) {
    List<RaftPeer> next = new ArrayList<>(freshPeers());
    if (!next.removeIf(p -> p.getId().toString().equals(peerId))) {
      throw new StoreException(
          StoreException.Code.NOT_FOUND, "manager " + peerId + " is not a member");
    }
    setConfiguration(next, "remove manager " + peerId);
  }

  private void setConfiguration(List<RaftPeer> peers, String what) {
    // Catching up a new member can take longer than a write.
    Duration deadline = adminDeadline();
    RaftClientReply reply =
        withDeadline(what, deadline, () -> admin.admin().setConfiguration(peers));
    if (!reply.isSuccess()) {
      throw unavailable(what, deadline, reply.getException());
    }
    usePeers(peers);
  }

  private synchronized void usePeers(Collection<RaftPeer> members) {
    List<RaftPeer> next = List.copyOf(members);
    if (next.equals(peers)) {
      return;
    }
    peers = next;
    RaftClient old = probe;
    probe = newClient(RaftGroup.valueOf(groupId, next), RetryPolicies.noRetry());
    closeQuietly(old);
  }

  /** The probe client, refreshed from the group if it does not know the member yet. */
  private RaftClient probeFor(String peerId) {
    if (peers.stream().noneMatch(p -> p.getId().toString().equals(peerId))) {
      members();
    }
    return probe;
  }

  /** Asks the leader to hand leadership to the given member. */
  public void transferLeadership(String peerId) {
    RaftClientReply reply =
        withDeadline(
            "transfer leadership",
            tuning.writeTimeout(),
            () ->
                admin
                    .admin()
                    .transferLeadership(
                        RatisSettings.peerId(peerId), tuning.electionTimeoutMax().toMillis() * 3));
    if (!reply.isSuccess()) {
      throw unavailable("transfer leadership", tuning.writeTimeout(), reply.getException());
    }
  }

  /** Asks one member to write a snapshot now; returns the index it covers. */
  public long snapshot(String peerId) {
    RaftClientReply reply =
        withDeadline(
            "snapshot",
            tuning.writeTimeout(),
            () ->
                probeFor(peerId)
                    .getSnapshotManagementApi(RatisSettings.peerId(peerId))
                    .create(tuning.writeTimeout().toMillis()));
    if (!reply.isSuccess()) {
      throw unavailable("snapshot", tuning.writeTimeout(), reply.getException());
    }
    return reply.getLogIndex();
  }

  /** Which of the given members answer within a second, probed in parallel. */
  public Map<String, Boolean> reachabilityOf(List<StorePeer> members) {
    if (!members.stream().map(RatisSettings::peer).toList().equals(peers)) {
      usePeers(members.stream().map(RatisSettings::peer).toList());
    }
    Map<String, CompletableFuture<Boolean>> answers = new LinkedHashMap<>();
    for (StorePeer m : members) {
      answers.put(
          m.id(),
          CompletableFuture.supplyAsync(
              () -> groupInfo(RatisSettings.peerId(m.id())).isPresent(), calls));
    }
    Map<String, Boolean> out = new LinkedHashMap<>();
    answers.forEach(
        (id, answer) -> {
          try {
            out.put(id, answer.get(PROBE_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.put(id, false);
          } catch (ExecutionException | TimeoutException e) {
            out.put(id, false);
          }
        });
    return out;
  }

  /** How many members answer within a second, out of how many there are. */
  public Reachability reachability() {
    List<RaftPeer> peers = currentPeers();
    List<CompletableFuture<Boolean>> answers =
        peers.stream()
            .map(p -> CompletableFuture.supplyAsync(() -> groupInfo(p.getId()).isPresent(), calls))
            .toList();
    int reachable = 0;
    for (CompletableFuture<Boolean> answer : answers) {
      try {
        if (answer.get(PROBE_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS)) {
          reachable++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        // not reachable
      }
    }
    return new Reachability(reachable, peers.size());
  }

  /** How many managers answered out of the group's size. */
  public record Reachability(int reachable, int total) {
    public boolean hasQuorum() {
      return reachable > total / 2;
    }
  }

  private Optional<GroupInfoReply> groupInfo(RaftPeerId peer) {
    try {
      Future<GroupInfoReply> f =
          calls.submit(() -> probe.getGroupManagementApi(peer).info(groupId));
      return Optional.of(f.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  private List<RaftPeer> currentPeers() {
    return peers;
  }

  /**
   * The group's configuration as a member reports it now. A configuration change must start from
   * it, not from the cached list: a client made on a restarted member knows only that member, and a
   * change computed from it would drop every other manager from the group.
   */
  private List<RaftPeer> freshPeers() {
    members();
    return peers;
  }

  private interface Call {
    RaftClientReply run() throws IOException;
  }

  private interface Parser<T> {
    T parse(java.nio.ByteBuffer bytes) throws InvalidProtocolBufferException;
  }

  private static <T> T parse(RaftClientReply reply, Parser<T> parser) {
    try {
      return parser.parse(reply.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new StoreException(
          StoreException.Code.INVALID, "unreadable reply from the store: " + e);
    }
  }

  private RaftClientReply withDeadline(String what, Duration deadline, Call call) {
    return await(what, deadline, calls.submit(call::run));
  }

  private RaftClientReply await(String what, Duration deadline, Future<RaftClientReply> f) {
    try {
      return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new StoreException(StoreException.Code.TIMEOUT, what + " interrupted");
    } catch (TimeoutException e) {
      f.cancel(true);
      throw unavailable(what, deadline, e);
    } catch (ExecutionException e) {
      throw unavailable(what, deadline, e.getCause());
    }
  }

  /** A call that could not complete: says whether quorum is the reason. */
  private StoreException unavailable(String what, Duration deadline, Throwable cause) {
    Reachability r = reachability();
    if (!r.hasQuorum()) {
      return noQuorum(what, r.reachable(), r.total(), cause);
    }
    return new StoreException(
        StoreException.Code.TIMEOUT,
        "could not "
            + what
            + " within "
            + deadline.toMillis()
            + " ms although "
            + r.reachable()
            + " of "
            + r.total()
            + " managers are reachable ("
            + cause
            + "); it may still be applied",
        cause);
  }

  private StoreException noQuorum(String what, int reachable) {
    return noQuorum(what, reachable, currentPeers().size(), null);
  }

  private static StoreException noQuorum(String what, int reachable, int total, Throwable cause) {
    return new StoreException(
        StoreException.Code.NO_QUORUM,
        "no quorum: "
            + reachable
            + " of "
            + total
            + " managers reachable; cannot "
            + what
            + " until a majority ("
            + (total / 2 + 1)
            + ") is back",
        cause);
  }

  @Override
  public void close() {
    calls.shutdownNow();
    closeQuietly(client);
    closeQuietly(admin);
    closeQuietly(probe);
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing: nothing left to do with it
    }
  }
}
