package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Endpoint;
import io.corral.api.GlobalJob;
import io.corral.api.GlobalService;
import io.corral.api.ListServiceStatusesRequest;
import io.corral.api.ListServicesRequest;
import io.corral.api.PortConfig;
import io.corral.api.ReplicatedJob;
import io.corral.api.Service;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceListCommandTest {

  static final String WEB = "web00000000000000000000001";
  static final String WEB10 = "w1000000000000000000000001";
  static final String AGENT = "agent000000000000000000001";
  static final String MIGRATE = "migrate0000000000000000001";
  static final String SWEEP = "sweep00000000000000000001";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Service web = service(WEB, "web2", "app:1@sha256:0123abcd", 10);
    web =
        web.toBuilder()
            .setEndpoint(
                Endpoint.newBuilder()
                    .addPorts(PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080))
                    .addPorts(
                        PortConfig.newBuilder()
                            .setTargetPort(53)
                            .setPublishedPort(5353)
                            .setProtocol(PortConfig.Protocol.UDP))
                    .addPorts(
                        PortConfig.newBuilder()
                            .setTargetPort(9000)
                            .setPublishedPort(9000)
                            .setPublishMode(PortConfig.PublishMode.HOST)))
            .build();
    Service web10 = service(WEB10, "web10", "app:2", 4);
    web10 =
        web10.toBuilder()
            .setSpec(
                web10.getSpec().toBuilder()
                    .setTask(
                        web10.getSpec().getTask().toBuilder()
                            .setPlacement(
                                web10.getSpec().getTask().getPlacement().toBuilder()
                                    .setMaxReplicas(2))))
            .build();
    Service agent = service(AGENT, "agent", "agent:latest", 0);
    agent =
        agent.toBuilder()
            .setSpec(agent.getSpec().toBuilder().setGlobal(GlobalService.getDefaultInstance()))
            .build();
    Service migrate = service(MIGRATE, "migrate", "tool:1", 0);
    migrate =
        migrate.toBuilder()
            .setSpec(
                migrate.getSpec().toBuilder()
                    .setReplicatedJob(
                        ReplicatedJob.newBuilder().setMaxConcurrent(2).setTotalCompletions(5)))
            .build();
    Service sweep = service(SWEEP, "sweep", "tool:1", 0);
    sweep =
        sweep.toBuilder()
            .setSpec(sweep.getSpec().toBuilder().setGlobalJob(GlobalJob.getDefaultInstance()))
            .build();
    daemon =
        FakeDaemon.start(dir)
            .add(web, web10, agent, migrate, sweep)
            .status(WEB, 10, 3, 0)
            .status(WEB10, 4, 4, 0)
            .status(AGENT, 5, 5, 0)
            .status(MIGRATE, 2, 2, 3)
            .status(SWEEP, 2, 1, 3);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void printsDockersTableInNaturalNameOrder() {
    Result r = daemon.run("service", "ls");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "ID             NAME      MODE             REPLICAS               IMAGE          PORTS",
            "agent0000000   agent     global           5/5                    agent:latest   ",
            "migrate00000   migrate   replicated job   2/2 (3/5 completed)    tool:1         ",
            "sweep0000000   sweep     global job       1/2 (3/5 completed)    tool:1         ",
            "web000000000   web2      replicated       3/10                   app:1          *:8080->80/tcp, *:5353->53/udp",
            "w10000000000   web10     replicated       4/4 (max 2 per node)   app:2          ");
    assertThat(daemon.requests(ListServiceStatusesRequest.class))
        .containsExactly(
            ListServiceStatusesRequest.newBuilder()
                .addServices(AGENT)
                .addServices(MIGRATE)
                .addServices(SWEEP)
                .addServices(WEB)
                .addServices(WEB10)
                .build());
  }

  @Test
  void quietPrintsShortIdsWithoutAskingForCounts() {
    Result r = daemon.run("service", "ls", "-q");

    assertThat(r.out())
        .isEqualTo("agent0000000\nmigrate00000\nsweep0000000\nweb000000000\nw10000000000\n");
    assertThat(daemon.methods()).containsExactly("ListServices");
  }

  @Test
  void nameAndIdFiltersAreSentAsPrefixes() {
    Result r = daemon.run("service", "ls", "-f", "name=web", "--filter", "id=w", "-q");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("web000000000\nw10000000000\n");
    assertThat(daemon.requests(ListServicesRequest.class))
        .containsExactly(
            ListServicesRequest.newBuilder()
                .setFilters(
                    ListServicesRequest.Filters.newBuilder()
                        .addNamePrefixes("web")
                        .addIdPrefixes("w"))
                .build());
  }

  @Test
  void modeFilterKeepsOnlyThatMode() {
    assertThat(daemon.run("service", "ls", "-q", "-f", "mode=global").out())
        .isEqualTo("agent0000000\n");
    assertThat(daemon.run("service", "ls", "-f", "mode=job").err())
        .isEqualTo(
            "Error response from daemon: Invalid filter 'mode=job' (use replicated or global)\n");
  }

  @Test
  void unknownFilterIsRefused() {
    Result r = daemon.run("service", "ls", "-f", "color=red");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Error response from daemon: invalid filter 'color'\n");
  }

  @Test
  void formatTemplateAndJson() {
    assertThat(
            daemon
                .run("service", "ls", "-f", "name=web2", "--format", "{{.Name}} {{.Replicas}}")
                .outLines())
        .containsExactly("web2 3/10");
    assertThat(daemon.run("service", "ls", "-f", "name=agent", "--format", "json").outLines())
        .containsExactly(
            "{\"ID\":\"agent0000000\",\"Image\":\"agent:latest\",\"Mode\":\"global\",\"Name\":\"agent\",\"Ports\":\"\","
                + "\"Replicas\":\"5/5\"}");
  }

  @Test
  void noServicesPrintsTheHeaderOnly() {
    Result r = daemon.run("service", "ls", "-f", "name=none");

    assertThat(r.out()).isEqualTo("ID        NAME      MODE      REPLICAS   IMAGE     PORTS\n");
    assertThat(daemon.methods()).containsExactly("ListServices");
  }

  @Test
  void aServiceWaitingInItsCanaryStageSaysSoInItsReplicas() {
    Service.Builder web = daemon.service(WEB).toBuilder();
    web.getSpecBuilder().getUpdateBuilder().setCanary(2);
    web.setUpdateStatus(
        io.corral.api.UpdateStatus.newBuilder()
            .setState(io.corral.api.UpdateStatus.UpdateState.CANARY)
            .setMessage("canary: 2 of 10 slots updated; promote or roll back"));
    Service.Builder promoted = daemon.service(WEB10).toBuilder();
    promoted.getSpecBuilder().getUpdateBuilder().setCanary(1);
    promoted.setUpdateStatus(
        io.corral.api.UpdateStatus.newBuilder()
            .setState(io.corral.api.UpdateStatus.UpdateState.CANARY)
            .setCanaryPromoted(true));
    daemon.add(web.build(), promoted.build());

    Result r = daemon.run("service", "ls", "-f", "name=web");
    Result format =
        daemon.run("service", "ls", "--format", "{{.Name}} {{.Replicas}}", "-f", "name=web2");

    assertThat(r.err()).isEmpty();
    assertThat(r.outLines())
        .containsExactly(
            "ID             NAME      MODE         REPLICAS               IMAGE     PORTS",
            "web000000000   web2      replicated   3/10 (canary 2/10)     app:1     *:8080->80/tcp, *:5353->53/udp",
            "w10000000000   web10     replicated   4/4 (max 2 per node)   app:2     ");
    assertThat(format.outLines()).containsExactly("web2 3/10 (canary 2/10)");
  }
}
