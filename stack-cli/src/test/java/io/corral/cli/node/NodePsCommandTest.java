package io.corral.cli.node;

import static io.corral.cli.FakeDaemon.service;
import static io.corral.cli.FakeDaemon.task;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.corral.api.ListTasksRequest;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePsCommandTest {

  static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
  static final String SELF = "4kq8wz1x2c3v4b5n6m7l8k9j0";
  static final String OTHER = "9hgf8d7s6a5p4o3i2u1y0t9r8";
  static final String WEB = "web00000000000000000000001";

  @TempDir Path dir;
  FakeDaemon daemon;

  static Task t(String id, long slot, String node, long agoSeconds) {
    Task t =
        task(
            id,
            WEB,
            slot,
            node,
            TaskState.RUNNING,
            TaskState.RUNNING,
            Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - agoSeconds).build());
    return t.toBuilder()
        .setSpec(
            io.corral.api.TaskSpec.newBuilder()
                .setContainer(io.corral.api.ContainerSpec.newBuilder().setImage("app:1")))
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    daemon =
        FakeDaemon.start(dir)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .self(SELF, "10.0.0.1:2377")
            .add(worker(SELF, "node-1", "10.0.0.1"), worker(OTHER, "node-2", "10.0.0.2"))
            .add(service(WEB, "web", "app:1", 2))
            .add(
                t("taskone000000000000000000", 1, SELF, 30),
                t("tasktwo000000000000000000", 2, OTHER, 600));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void defaultsToThisNode() {
    Result r = daemon.run("node", "ps");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "ID             NAME      IMAGE     NODE      DESIRED STATE   CURRENT STATE            ERROR     PORTS",
            "taskone00000   web.1     app:1     node-1    Running         Running 30 seconds ago             ");
    assertThat(daemon.requests(ListTasksRequest.class))
        .containsExactly(
            ListTasksRequest.newBuilder()
                .setFilters(ListTasksRequest.Filters.newBuilder().addNodeIds(SELF))
                .build());
  }

  @Test
  void severalNodesByHostnameAndPrefix() {
    Result r = daemon.run("node", "ps", "-q", "node-2", "4kq");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("taskone00000\ntasktwo00000\n");
  }

  @Test
  void unknownNodesAreReportedAfterTheTasksOfTheOthers() {
    Result r = daemon.run("node", "ps", "--format", "{{.Name}} {{.Node}}", "nope", "node-2");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("web.2 node-2\n");
    assertThat(r.err()).isEqualTo("Error: No such node: nope\n");
  }

  @Test
  void desiredStateFilterIsSent() {
    daemon.run("node", "ps", "-f", "desired-state=running", "--no-resolve", "self");

    assertThat(daemon.requests(ListTasksRequest.class).get(0).getFilters())
        .isEqualTo(
            ListTasksRequest.Filters.newBuilder()
                .addDesiredStates(TaskState.RUNNING)
                .addNodeIds(SELF)
                .build());
  }
}
