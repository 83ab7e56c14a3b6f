package io.corral.manager.logbroker;

import io.corral.api.ControlGrpc;
import io.corral.api.LogMessage;
import io.corral.api.ServiceLogsRequest;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.RaftView;
import io.corral.manager.store.Store;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Optional;
import java.util.function.Function;

/**
 * Relays a `service logs` call that reached a manager which does not lead to the leader's Control
 * API, over this manager's own mTLS channel, passing the lines back at the pace the caller reads
 * them. One channel to the current leader is kept and replaced when leadership moves.
 */
public final class LeaderForwarder implements AutoCloseable {

  private final Store store;
  private final RaftView raft;
  private final Function<String, ManagedChannel> channels;
  private String channelAddr;
  private ManagedChannel channel;

  /**
   * @param channels opens an mTLS channel, with this manager's certificate, to a manager's cluster
   *     API address
   */
  public LeaderForwarder(Store store, RaftView raft, Function<String, ManagedChannel> channels) {
    this.store = store;
    this.raft = raft;
    this.channels = channels;
  }

  /** Relays the call to the leader; the caller's cancellation reaches the leader. */
  void forward(ServiceLogsRequest request, ServerCallStreamObserver<LogMessage> out) {
    Optional<String> leader = leaderAddr();
    if (leader.isEmpty()) {
      out.onError(
          Status.UNAVAILABLE
              .withDescription(
                  "no leader is known right now (an election may be under "
                      + "way); retry in a moment")
              .asRuntimeException());
      return;
    }
    String addr = leader.get();
    Metadata headers = new Metadata();
    headers.put(ForwardedCall.FORWARDED_BY, raft.selfId());
    ControlGrpc.ControlStub stub =
        ControlGrpc.newStub(channelTo(addr))
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    stub.serviceLogs(request, new Relay(out, addr));
  }

  private Optional<String> leaderAddr() {
    return raft.leaderId()
        .filter(id -> !id.equals(raft.selfId()))
        .flatMap(id -> store.view(tx -> tx.get(ObjectKind.NODE, id)))
        .map(n -> n.getManagerStatus().getApiAddr())
        .filter(a -> !a.isEmpty());
  }

  private synchronized ManagedChannel channelTo(String addr) {
    if (channel == null || !addr.equals(channelAddr)) {
      if (channel != null) {
        channel.shutdown(); // calls still on it finish there
      }
      channel = channels.apply(addr);
      channelAddr = addr;
    }
    return channel;
  }

  /**
   * Passes the leader's lines to the caller, asking the leader for the next one only when the
   * caller can take it.
   */
  private static final class Relay
      implements ClientResponseObserver<ServiceLogsRequest, LogMessage> {

    private final ServerCallStreamObserver<LogMessage> out;
    private final String leaderAddr;
    private ClientCallStreamObserver<ServiceLogsRequest> upstream;
    private boolean waitingForCaller;

    Relay(ServerCallStreamObserver<LogMessage> out, String leaderAddr) {
      this.out = out;
      this.leaderAddr = leaderAddr;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ServiceLogsRequest> requestStream) {
      this.upstream = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
      out.setOnCancelHandler(() -> requestStream.cancel("the caller went away", null));
      out.setOnReadyHandler(this::callerReady);
    }

    @Override
    public synchronized void onNext(LogMessage m) {
      out.onNext(m);
      if (out.isReady()) {
        upstream.request(1);
      } else {
        waitingForCaller = true;
      }
    }

    private synchronized void callerReady() {
      if (waitingForCaller && out.isReady()) {
        waitingForCaller = false;
        upstream.request(1);
      }
    }

    @Override
    public synchronized void onError(Throwable t) {
      Status s = Status.fromThrowable(t);
      if (s.getCode() == Status.Code.UNAVAILABLE && s.getCause() != null) {
        // A transport failure on our side, not the leader's answer: say which hop failed.
        s =
            s.withDescription(
                "cannot reach the leader at "
                    + leaderAddr
                    + " to read logs: "
                    + s.getDescription()
                    + "; retry in a moment");
      }
      try {
        out.onError(s.asRuntimeException());
      } catch (RuntimeException ignored) {
        // the caller is gone already
      }
    }

    @Override
    public synchronized void onCompleted() {
      out.onCompleted();
    }
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
    }
  }
}
