package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static io.corral.cli.FakeDaemon.task;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.corral.api.LogContext;
import io.corral.api.LogMessage;
import io.corral.api.LogSelector;
import io.corral.api.LogStream;
import io.corral.api.LogSubscriptionOptions;
import io.corral.api.ServiceLogsRequest;
import io.corral.api.TaskState;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceLogsCommandTest {

  static final String WEB = "web00000000000000000000001";
  static final String NODE_A = "4kq8wz1x2c3v4b5n6m7l8k9j0";
  static final String NODE_B = "9hgf8d7s6a5p4o3i2u1y0t9r8";
  static final String T1 = "abc123def456ghi789jkl0mno";
  static final String T10 = "zyx987wvu654tsr321qpo0nml";

  @TempDir Path dir;
  FakeDaemon daemon;

  static LogMessage line(String task, String node, LogStream stream, String data, int nanos) {
    return LogMessage.newBuilder()
        .setContext(LogContext.newBuilder().setServiceId(WEB).setNodeId(node).setTaskId(task))
        .setTimestamp(Timestamp.newBuilder().setSeconds(1_704_164_645L).setNanos(nanos))
        .setStream(stream)
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    daemon =
        FakeDaemon.start(dir)
            .add(worker(NODE_A, "node-1", "10.0.0.1"), worker(NODE_B, "node-2", "10.0.0.2"))
            .add(service(WEB, "web", "app:1", 10))
            .add(
                task(T1, WEB, 1, NODE_A, TaskState.RUNNING, TaskState.RUNNING, FakeDaemon.JOINED),
                task(T10, WEB, 10, NODE_B, TaskState.RUNNING, TaskState.RUNNING, FakeDaemon.JOINED))
            .log(
                line(T1, NODE_A, LogStream.LOG_STREAM_STDOUT, "listening on :80\n", 5),
                line(T10, NODE_B, LogStream.LOG_STREAM_STDERR, "warning: slow disk", 120_000_000),
                line(T1, NODE_A, LogStream.LOG_STREAM_STDOUT, "GET /", 0));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void prefixesLinesWithTaskAndNodePaddedToTheReplicaCount() {
    Result r = daemon.run("service", "logs", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "web.1.abc123def456@node-1     | listening on :80\n"
                + "web.1.abc123def456@node-1     | GET /\n");
    assertThat(r.err()).isEqualTo("web.10.zyx987wvu654@node-2    | warning: slow disk\n");
    assertThat(daemon.requests(ServiceLogsRequest.class))
        .containsExactly(
            ServiceLogsRequest.newBuilder()
                .setSelector(LogSelector.newBuilder().addServiceIds(WEB))
                .setOptions(LogSubscriptionOptions.getDefaultInstance())
                .build());
  }

  @Test
  void optionsAreSentAndShapeTheLines() {
    Result r = daemon.run("service", "logs", "-f", "--tail", "2", "-t", "--no-task-ids", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "2024-01-02T03:04:05.000000005Z web.1@node-1     | listening on :80\n"
                + "2024-01-02T03:04:05.000000000Z web.1@node-1     | GET /\n");
    assertThat(daemon.requests(ServiceLogsRequest.class).get(0).getOptions())
        .isEqualTo(
            LogSubscriptionOptions.newBuilder()
                .setFollow(true)
                .setTail(2)
                .setTimestamps(true)
                .build());
  }

  @Test
  void rawAndNoTruncLines() {
    assertThat(daemon.run("service", "logs", "--raw", "web").out())
        .isEqualTo("listening on :80\nGET /\n");
    assertThat(daemon.run("service", "logs", "--no-trunc", "web").out())
        .startsWith("web.1." + T1 + "@node-1     | listening");
  }

  @Test
  void aTaskCanBeTheTargetByIdPrefix() {
    Result r = daemon.run("service", "logs", "abc123");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "web.1.abc123def456@node-1    | listening on :80\n"
                + "web.1.abc123def456@node-1    | GET /\n");
    assertThat(daemon.requests(ServiceLogsRequest.class).get(0).getSelector())
        .isEqualTo(LogSelector.newBuilder().addTaskIds(T1).build());
  }

  @Test
  void unknownTargetIsAnError() {
    Result r = daemon.run("service", "logs", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("no such task or service: nope\n");
    assertThat(daemon.methods()).doesNotContain("ServiceLogs");
  }

  @Test
  void tailThatIsNotACountMeansAllLinesAsInDocker() {
    assertThat(ServiceLogsCommand.parseTail("all")).isNull();
    assertThat(ServiceLogsCommand.parseTail("-3")).isNull();
    assertThat(ServiceLogsCommand.parseTail("ten")).isNull();
    assertThat(ServiceLogsCommand.parseTail("0")).isZero();
    assertThat(ServiceLogsCommand.parseTail("25")).isEqualTo(25);

    daemon.run("service", "logs", "--tail", "ten", "web");
    assertThat(daemon.requests(ServiceLogsRequest.class).get(0).getOptions().hasTail()).isFalse();
  }
}
