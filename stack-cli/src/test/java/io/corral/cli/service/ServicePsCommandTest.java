package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static io.corral.cli.FakeDaemon.task;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.corral.api.GlobalService;
import io.corral.api.ListTasksRequest;
import io.corral.api.PortConfig;
import io.corral.api.PortStatus;
import io.corral.api.Service;
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

class ServicePsCommandTest {

  static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
  static final String WEB = "web00000000000000000000001";
  static final String API = "api00000000000000000000001";
  static final String AGENT = "agent000000000000000000001";
  static final String NODE_A = "4kq8wz1x2c3v4b5n6m7l8k9j0";
  static final String NODE_B = "9hgf8d7s6a5p4o3i2u1y0t9r8";
  static final String LONG_ERROR = "task: non-zero exit (1): something went really wrong";

  @TempDir Path dir;
  FakeDaemon daemon;

  static Timestamp ago(long seconds) {
    return Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - seconds).build();
  }

  /**
   * A task created {@code createdAgo} seconds ago, in {@code state} for {@code stateAgo} seconds.
   */
  static Task t(
      String id,
      String service,
      long slot,
      String node,
      TaskState state,
      TaskState desired,
      long createdAgo,
      long stateAgo,
      String err) {
    Task t = task(id, service, slot, node, state, desired, ago(createdAgo));
    String image =
        service.equals(WEB) ? "app:1@sha256:abcdef" : service.equals(API) ? "api:3" : "agent:1";
    return t.toBuilder()
        .setStatus(t.getStatus().toBuilder().setTimestamp(ago(stateAgo)).setErr(err))
        .setSpec(
            io.corral.api.TaskSpec.newBuilder()
                .setContainer(io.corral.api.ContainerSpec.newBuilder().setImage(image)))
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    Service agent = service(AGENT, "agent", "agent:1", 0);
    agent =
        agent.toBuilder()
            .setSpec(agent.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance()))
            .build();
    Task published =
        t(
            "taskweb10xxxxxxxxxxxxxxxx",
            WEB,
            10,
            NODE_B,
            TaskState.RUNNING,
            TaskState.RUNNING,
            10_900,
            10_800,
            "");
    published =
        published.toBuilder()
            .setStatus(
                published.getStatus().toBuilder()
                    .setPortStatus(
                        PortStatus.newBuilder()
                            .addPorts(
                                PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080))))
            .build();
    daemon =
        FakeDaemon.start(dir)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .self(NODE_A, "10.0.0.1:2377")
            .add(worker(NODE_A, "node-1", "10.0.0.1"), worker(NODE_B, "node-2", "10.0.0.2"))
            .add(
                service(WEB, "web", "app:1@sha256:abcdef", 10),
                service(API, "api", "api:3", 1),
                agent)
            .add(
                t(
                    "taskweb1oldxxxxxxxxxxxxxx",
                    WEB,
                    1,
                    NODE_A,
                    TaskState.FAILED,
                    TaskState.SHUTDOWN,
                    120,
                    20,
                    LONG_ERROR),
                t(
                    "taskweb1newxxxxxxxxxxxxxx",
                    WEB,
                    1,
                    NODE_A,
                    TaskState.RUNNING,
                    TaskState.RUNNING,
                    10,
                    5,
                    ""),
                t(
                    "taskweb2xxxxxxxxxxxxxxxxx",
                    WEB,
                    2,
                    "",
                    TaskState.PENDING,
                    TaskState.RUNNING,
                    150,
                    150,
                    "no suitable node (insufficient memory on 2 nodes)"),
                published,
                t(
                    "taskapi1xxxxxxxxxxxxxxxxx",
                    API,
                    1,
                    NODE_B,
                    TaskState.RUNNING,
                    TaskState.RUNNING,
                    70,
                    70,
                    ""),
                t(
                    "taskagentxxxxxxxxxxxxxxxx",
                    AGENT,
                    0,
                    NODE_A,
                    TaskState.RUNNING,
                    TaskState.RUNNING,
                    1,
                    1,
                    ""));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void printsHistoryPerSlotNewestFirstWithRelativeTimesAndTruncatedErrors() {
    Result r = daemon.run("service", "ps", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "ID             NAME        IMAGE     NODE      DESIRED STATE   CURRENT STATE           ERROR                              PORTS",
            "taskweb1newx   web.1       app:1     node-1    Running         Running 5 seconds ago                                      ",
            "taskweb1oldx    \\_ web.1   app:1     node-1    Shutdown        Failed 20 seconds ago   \"task: non-zero exit (1): some…\"   ",
            "taskweb2xxxx   web.2       app:1               Running         Pending 2 minutes ago   \"no suitable node (insufficien…\"   ",
            "taskweb10xxx   web.10      app:1     node-2    Running         Running 3 hours ago                                        *:8080->80/tcp");
    assertThat(daemon.requests(ListTasksRequest.class))
        .containsExactly(
            ListTasksRequest.newBuilder()
                .setFilters(ListTasksRequest.Filters.newBuilder().addServiceIds(WEB))
                .build());
  }

  @Test
  void noTruncShowsFullIdsImagesAndErrors() {
    Result r = daemon.run("service", "ps", "--no-trunc", "-f", "desired-state=shutdown", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).hasSize(2);
    assertThat(r.outLines().get(1))
        .startsWith(
            "taskweb1oldxxxxxxxxxxxxxx   web.1     app:1@sha256:abcdef   node-1    Shutdown")
        .contains("\"" + LONG_ERROR + "\"");
    assertThat(daemon.requests(ListTasksRequest.class).get(0).getFilters().getDesiredStatesList())
        .containsExactly(TaskState.SHUTDOWN);
  }

  @Test
  void quietPrintsShortTaskIds() {
    Result r = daemon.run("service", "ps", "-q", "-f", "desired-state=running", "web", "api");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("taskapi1xxxx\ntaskweb1newx\ntaskweb2xxxx\ntaskweb10xxx\n");
  }

  @Test
  void servicesAreFoundByIdPrefixAndGlobalTasksAreNamedByNode() {
    Result r =
        daemon.run("service", "ps", "--format", "{{.Name}} {{.Node}} {{.CurrentState}}", "agent0");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly("agent." + NODE_A + " node-1 Running 1 second ago");
  }

  @Test
  void unknownServicesAreReportedAfterTheKnownOnes() {
    Result r = daemon.run("service", "ps", "-q", "api", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("taskapi1xxxx\n");
    assertThat(r.err()).isEqualTo("no such service: nope\n");
  }

  @Test
  void noKnownServiceIsAnError() {
    Result r = daemon.run("service", "ps", "nope", "nada");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("no such service: nope\nno such service: nada\n");
    assertThat(daemon.methods()).doesNotContain("ListTasks");
  }

  @Test
  void ambiguousPrefixIsAnError() {
    Result r = daemon.run("service", "ps", "a");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("multiple services found with provided prefix: a\n");
  }

  @Test
  void nodeFilterIsResolvedToAnId() {
    Result r = daemon.run("service", "ps", "-q", "-f", "node=node-2", "web");

    assertThat(r.out()).isEqualTo("taskweb10xxx\n");
    assertThat(daemon.requests(ListTasksRequest.class).get(0).getFilters().getNodeIdsList())
        .containsExactly(NODE_B);
  }

  @Test
  void invalidDesiredStateIsRefused() {
    Result r = daemon.run("service", "ps", "-f", "desired-state=sleeping", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "Error response from daemon: Invalid desired-state filter: 'sleeping' "
                + "(use running, shutdown or accepted)\n");
    assertThat(daemon.methods()).doesNotContain("ListTasks");
  }

  /** {@code t} with {@code health}. */
  static Task healthy(Task t, io.corral.api.TaskStatus.Health health) {
    return t.toBuilder().setStatus(t.getStatus().toBuilder().setHealth(health)).build();
  }

  @Test
  void replacedTasksOfAnUpdateAreListedUnderTheirSlotNewestFirstWithTheirHealth() {
    daemon.add(
        healthy(
            t(
                "taskapi1v2xxxxxxxxxxxxxxx",
                API,
                1,
                NODE_A,
                TaskState.RUNNING,
                TaskState.RUNNING,
                8,
                6,
                ""),
            io.corral.api.TaskStatus.Health.HEALTHY),
        healthy(
            t(
                "taskapi1v3xxxxxxxxxxxxxxx",
                API,
                1,
                NODE_A,
                TaskState.FAILED,
                TaskState.SHUTDOWN,
                5,
                3,
                "unhealthy container"),
            io.corral.api.TaskStatus.Health.UNHEALTHY),
        healthy(
            t(
                "taskapi1v4xxxxxxxxxxxxxxx",
                API,
                1,
                NODE_B,
                TaskState.STARTING,
                TaskState.RUNNING,
                2,
                2,
                ""),
            io.corral.api.TaskStatus.Health.STARTING));

    Result table = daemon.run("service", "ps", "api");
    Result format = daemon.run("service", "ps", "--format", "{{.Name}}|{{.CurrentState}}", "api");
    Result running = daemon.run("service", "ps", "-q", "-f", "desired-state=running", "api");

    assertThat(table.err()).isEmpty();
    assertThat(table.outLines())
        .containsExactly(
            "ID             NAME        IMAGE     NODE      DESIRED STATE   CURRENT STATE                               ERROR                   PORTS",
            "taskapi1v4xx   api.1       api:3     node-2    Running         Starting 2 seconds ago (health: starting)                           ",
            "taskapi1v3xx    \\_ api.1   api:3     node-1    Shutdown        Failed 3 seconds ago (unhealthy)            \"unhealthy container\"   ",
            "taskapi1v2xx    \\_ api.1   api:3     node-1    Running         Running 6 seconds ago (healthy)                                     ",
            "taskapi1xxxx    \\_ api.1   api:3     node-2    Running         Running about a minute ago                                          ");
    // Docker indents only in tables.
    assertThat(format.outLines())
        .containsExactly(
            "api.1|Starting 2 seconds ago (health: starting)",
            "api.1|Failed 3 seconds ago (unhealthy)",
            "api.1|Running 6 seconds ago (healthy)",
            "api.1|Running about a minute ago");
    assertThat(running.outLines()).containsExactly("taskapi1v4xx", "taskapi1v2xx", "taskapi1xxxx");
  }
}
