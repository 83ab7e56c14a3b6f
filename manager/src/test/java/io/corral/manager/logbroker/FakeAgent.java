package io.corral.manager.logbroker;

import com.google.protobuf.ByteString;
import io.corral.api.ListenSubscriptionsRequest;
import io.corral.api.LogBrokerGrpc;
import io.corral.api.LogContext;
import io.corral.api.LogMessage;
import io.corral.api.LogStream;
import io.corral.api.PublishLogsMessage;
import io.corral.api.PublishLogsResponse;
import io.corral.api.SubscriptionMessage;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A node's agent as the broker sees it: listens for subscriptions and answers each with the given
 * lines, then (without follow) close; with follow it keeps publishing open until the subscription
 * is closed.
 */
final class FakeAgent implements AutoCloseable {

  final String nodeId;
  final List<SubscriptionMessage> received = new CopyOnWriteArrayList<>();
  volatile Status listenEnded;
  private final LogBrokerGrpc.LogBrokerStub stub;
  private final List<String> lines;
  private final Map<String, StreamObserver<PublishLogsMessage>> publishing =
      new ConcurrentHashMap<>();
  private ClientCallStreamObserver<ListenSubscriptionsRequest> listen;
  private boolean holdOpen;

  FakeAgent(ManagedChannel channel, String nodeId, List<String> lines) {
    this.nodeId = nodeId;
    this.lines = lines;
    Metadata headers = new Metadata();
    headers.put(LogCluster.NODE_HEADER, nodeId);
    this.stub =
        LogBrokerGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Keeps every publish stream open (no close) until the subscription is closed, follow or not. */
  FakeAgent holdOpen() {
    holdOpen = true;
    return this;
  }

  FakeAgent start() {
    stub.listenSubscriptions(
        ListenSubscriptionsRequest.getDefaultInstance(),
        new ClientResponseObserver<ListenSubscriptionsRequest, SubscriptionMessage>() {
          @Override
          public void beforeStart(
              ClientCallStreamObserver<ListenSubscriptionsRequest> requestStream) {
            listen = requestStream;
          }

          @Override
          public void onNext(SubscriptionMessage m) {
            received.add(m);
            handle(m);
          }

          @Override
          public void onError(Throwable t) {
            listenEnded = Status.fromThrowable(t);
          }

          @Override
          public void onCompleted() {
            listenEnded = Status.OK;
          }
        });
    return this;
  }

  /** Subscription messages received that open a subscription. */
  List<SubscriptionMessage> opened() {
    return received.stream().filter(m -> !m.getClose()).toList();
  }

  /** Subscription ids this agent was told to close. */
  List<String> closed() {
    return received.stream()
        .filter(SubscriptionMessage::getClose)
        .map(SubscriptionMessage::getId)
        .toList();
  }

  private void handle(SubscriptionMessage m) {
    if (m.getClose()) {
      StreamObserver<PublishLogsMessage> out = publishing.remove(m.getId());
      if (out != null) {
        out.onNext(
            PublishLogsMessage.newBuilder().setSubscriptionId(m.getId()).setClose(true).build());
        out.onCompleted();
      }
      return;
    }
    if (publishing.containsKey(m.getId())) {
      return;
    }
    StreamObserver<PublishLogsMessage> out = stub.publishLogs(new Ignore());
    PublishLogsMessage.Builder b = PublishLogsMessage.newBuilder().setSubscriptionId(m.getId());
    for (String line : lines) {
      b.addMessages(line(nodeId, line));
    }
    if (m.getOptions().getFollow() || holdOpen) {
      publishing.put(m.getId(), out);
      out.onNext(b.build());
    } else {
      out.onNext(b.setClose(true).build());
      out.onCompleted();
    }
  }

  /** Sends more lines on an open (follow) subscription. */
  void publish(String subscriptionId, String line) {
    publishing
        .get(subscriptionId)
        .onNext(
            PublishLogsMessage.newBuilder()
                .setSubscriptionId(subscriptionId)
                .addMessages(line(nodeId, line))
                .build());
  }

  /**
   * Sends lines on a new PublishLogs stream for any subscription id, claiming to be another node.
   */
  void publishAs(String subscriptionId, String claimedNode, String line) {
    StreamObserver<PublishLogsMessage> out = stub.publishLogs(new Ignore());
    out.onNext(
        PublishLogsMessage.newBuilder()
            .setSubscriptionId(subscriptionId)
            .addMessages(line(claimedNode, line))
            .setClose(true)
            .build());
    out.onCompleted();
  }

  static LogMessage line(String nodeId, String text) {
    return LogMessage.newBuilder()
        .setContext(LogContext.newBuilder().setNodeId(nodeId).setTaskId("task-on-" + nodeId))
        .setStream(LogStream.LOG_STREAM_STDOUT)
        .setData(ByteString.copyFrom(text + "\n", StandardCharsets.UTF_8))
        .build();
  }

  /** Stops listening (the node's session broke). */
  void disconnect() {
    if (listen != null) {
      listen.cancel("test disconnects", null);
    }
  }

  @Override
  public void close() {
    disconnect();
    publishing.values().forEach(o -> o.onError(Status.CANCELLED.asRuntimeException()));
  }

  private static final class Ignore implements StreamObserver<PublishLogsResponse> {
    @Override
    public void onNext(PublishLogsResponse value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
