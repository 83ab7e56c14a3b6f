package io.corral.worker.agent;

import io.corral.api.ListenSubscriptionsRequest;
import io.corral.api.LogBrokerGrpc;
import io.corral.api.LogMessage;
import io.corral.api.PublishLogsMessage;
import io.corral.api.PublishLogsResponse;
import io.corral.api.SubscriptionMessage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A manager's log broker as the agent sees it, on a plaintext localhost server: records what is
 * published.
 */
final class FakeLogBroker implements AutoCloseable {

  private final Server server;
  final List<StreamObserver<SubscriptionMessage>> listeners = new CopyOnWriteArrayList<>();
  final AtomicInteger listens = new AtomicInteger();

  /** Every PublishLogs message received, by subscription id. */
  final Map<String, List<PublishLogsMessage>> published = new ConcurrentHashMap<>();

  /** PublishLogs streams that ended: "completed" or the status code. */
  final List<String> streamEnds = new CopyOnWriteArrayList<>();

  FakeLogBroker() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new LogBrokerGrpc.LogBrokerImplBase() {
                  @Override
                  public void listenSubscriptions(
                      ListenSubscriptionsRequest request, StreamObserver<SubscriptionMessage> out) {
                    listens.incrementAndGet();
                    listeners.add(out);
                  }

                  @Override
                  public StreamObserver<PublishLogsMessage> publishLogs(
                      StreamObserver<PublishLogsResponse> out) {
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(PublishLogsMessage m) {
                        published
                            .computeIfAbsent(
                                m.getSubscriptionId(), k -> new CopyOnWriteArrayList<>())
                            .add(m);
                      }

                      @Override
                      public void onError(Throwable t) {
                        streamEnds.add(Status.fromThrowable(t).getCode().name());
                      }

                      @Override
                      public void onCompleted() {
                        streamEnds.add("completed");
                        out.onNext(PublishLogsResponse.getDefaultInstance());
                        out.onCompleted();
                      }
                    };
                  }
                })
            .build()
            .start();
  }

  ManagedChannel channel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  /** Sends a subscription message on the newest listener stream. */
  void send(SubscriptionMessage m) {
    listeners.get(listeners.size() - 1).onNext(m);
  }

  /** Breaks the newest listener stream, as a manager restart would. */
  void breakListener() {
    listeners
        .get(listeners.size() - 1)
        .onError(Status.UNAVAILABLE.withDescription("test").asRuntimeException());
  }

  List<PublishLogsMessage> messages(String subscriptionId) {
    return published.getOrDefault(subscriptionId, List.of());
  }

  /** The lines published for a subscription, as "task: text". */
  List<String> lines(String subscriptionId) {
    return messages(subscriptionId).stream()
        .flatMap(m -> m.getMessagesList().stream())
        .map(FakeLogBroker::render)
        .toList();
  }

  List<LogMessage> logMessages(String subscriptionId) {
    return messages(subscriptionId).stream().flatMap(m -> m.getMessagesList().stream()).toList();
  }

  boolean closed(String subscriptionId) {
    return messages(subscriptionId).stream().anyMatch(PublishLogsMessage::getClose);
  }

  static String render(LogMessage m) {
    return m.getContext().getTaskId() + ": " + m.getData().toStringUtf8().strip();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
