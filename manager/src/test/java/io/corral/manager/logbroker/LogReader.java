package io.corral.manager.logbroker;

import io.corral.api.ControlGrpc;
import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.ServiceLogsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A `service logs` caller: collects the lines and the final status, and can cancel. */
final class LogReader {

  final List<LogMessage> messages = new CopyOnWriteArrayList<>();
  final CompletableFuture<Status> ended = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<ServiceLogsRequest> call;

  static LogReader read(ManagedChannel channel, LogSelector selector, boolean follow) {
    LogReader r = new LogReader();
    ControlGrpc.newStub(channel)
        .serviceLogs(
            ServiceLogsRequest.newBuilder()
                .setSelector(selector)
                .setOptions(LogSubscriptionOptions.newBuilder().setFollow(follow))
                .build(),
            new ClientResponseObserver<ServiceLogsRequest, LogMessage>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<ServiceLogsRequest> requestStream) {
                r.call = requestStream;
              }

              @Override
              public void onNext(LogMessage m) {
                r.messages.add(m);
              }

              @Override
              public void onError(Throwable t) {
                r.ended.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                r.ended.complete(Status.OK);
              }
            });
    return r;
  }

  /** The lines read so far, as "node: text". */
  List<String> lines() {
    return messages.stream()
        .map(
            m ->
                m.getContext().getNodeId()
                    + ": "
                    + m.getData().toString(StandardCharsets.UTF_8).strip())
        .toList();
  }

  void cancel() {
    call.cancel("the user pressed ^C", null);
  }
}
