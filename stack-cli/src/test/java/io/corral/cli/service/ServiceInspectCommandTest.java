package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.corral.api.GetServiceRequest;
import io.corral.api.Placement;
import io.corral.api.PlacementPreference;
import io.corral.api.ResourceRequirements;
import io.corral.api.Resources;
import io.corral.api.RestartPolicy;
import io.corral.api.Service;
import io.corral.api.SpreadOver;
import io.corral.api.UpdateConfig;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceInspectCommandTest {

  static final String WEB = "web00000000000000000000001";
  static final String API = "api00000000000000000000001";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Service web = service(WEB, "web", "app:1", 3);
    Service.Builder b = web.toBuilder();
    b.getSpecBuilder().getAnnotationsBuilder().putLabels("tier", "front");
    b.getSpecBuilder()
        .getTaskBuilder()
        .setResources(
            ResourceRequirements.newBuilder()
                .setReservations(
                    Resources.newBuilder().setNanoCpus(500_000_000L).setMemoryBytes(512L << 20))
                .setLimits(Resources.newBuilder().setNanoCpus(1_000_000_000L)))
        .setRestart(
            RestartPolicy.newBuilder()
                .setCondition(RestartPolicy.RestartCondition.ON_FAILURE)
                .setDelay(Duration.newBuilder().setSeconds(5))
                .setMaxAttempts(3))
        .setPlacement(
            Placement.newBuilder()
                .addConstraints("node.role==worker")
                .addPreferences(
                    PlacementPreference.newBuilder()
                        .setSpread(
                            SpreadOver.newBuilder().setSpreadDescriptor("node.labels.zone"))))
        .getContainerBuilder()
        .addArgs("serve")
        .addArgs("--port=80")
        .addEnv("A=1")
        .setDir("/srv")
        .setUser("app");
    b.getSpecBuilder()
        .setUpdate(
            UpdateConfig.newBuilder()
                .setParallelism(1)
                .setMonitor(Duration.newBuilder().setSeconds(5)));
    daemon = FakeDaemon.start(dir).monitor(null).add(b.build(), service(API, "api", "api:1", 1));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void printsDockersJsonWithDefaultsAskedFor() {
    Result r = daemon.run("service", "inspect", "api");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
        [
            {
                "ID": "api00000000000000000000001",
                "Version": {
                    "Index": 7
                },
                "CreatedAt": "2024-01-02T03:04:05.123456789Z",
                "UpdatedAt": "2024-01-02T03:04:05.123456789Z",
                "Spec": {
                    "Name": "api",
                    "Labels": {},
                    "TaskTemplate": {
                        "ContainerSpec": {
                            "Image": "api:1",
                            "Isolation": "default"
                        },
                        "ForceUpdate": 0,
                        "Runtime": "container"
                    },
                    "Mode": {
                        "Replicated": {
                            "Replicas": 1
                        }
                    },
                    "EndpointSpec": {
                        "Mode": "vip"
                    }
                },
                "Endpoint": {
                    "Spec": {}
                }
            }
        ]
        """);
    // The manager resolves the name: one read, with the defaults, as docker's
    // ServiceInspectWithRaw.
    assertThat(daemon.requests(GetServiceRequest.class))
        .containsExactly(
            GetServiceRequest.newBuilder().setServiceId("api").setInsertDefaults(true).build());
  }

  @Test
  void formatTemplateAndJsonLines() {
    assertThat(
            daemon
                .run(
                    "service",
                    "inspect",
                    "-f",
                    "{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}}",
                    "web",
                    "api")
                .outLines())
        .containsExactly("web 3", "api 1");
    assertThat(daemon.run("service", "inspect", "--format", "json", "api").outLines()).hasSize(1);
  }

  @Test
  void prettyIsDockersTemplate() {
    Result r = daemon.run("service", "inspect", "--pretty", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "\n"
                + "ID:\t\t"
                + WEB
                + "\n"
                + "Name:\t\tweb\n"
                + "Labels:\n"
                + " tier=front\n"
                + "Service Mode:\tReplicated\n"
                + " Replicas:\t3\n"
                + "Placement:\n"
                + " Constraints:\t[node.role==worker]\n"
                + " Preferences:   [spread=node.labels.zone]\n"
                + "UpdateConfig:\n"
                + " Parallelism:\t1\n"
                + " On failure:\tpause\n"
                + " Monitoring Period: 5s\n"
                + " Max failure ratio: 0\n"
                + " Update order:      stop-first\n"
                + "ContainerSpec:\n"
                + " Image:\t\tapp:1\n"
                + " Args:\t\tserve --port=80 \n"
                + " Env:\t\tA=1 \n"
                + " Dir:\t\t/srv\n"
                + " User: app\n"
                + "Resources:\n"
                + " Reservations:\n"
                + "  CPU:\t\t0.5\n"
                + "  Memory:\t512MiB\n"
                + " Limits:\n"
                + "  CPU:\t\t1\n"
                + "Endpoint Mode:\tvip\n");
  }

  @Test
  void unknownServicesAreReportedAfterTheOthers() {
    Result r = daemon.run("service", "inspect", "-f", "{{.ID}}", "nope", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(WEB + "\n");
    assertThat(r.err()).isEqualTo("Error: No such service: nope\n");
  }

  @Test
  void restartPolicyAndResourcesInJson() {
    Result r =
        daemon.run(
            "service",
            "inspect",
            "-f",
            "{{json .Spec.TaskTemplate.RestartPolicy}} " + "{{json .Spec.TaskTemplate.Resources}}",
            "web");

    assertThat(r.out())
        .isEqualTo(
            "{\"Condition\":\"on-failure\",\"Delay\":5000000000,\"MaxAttempts\":3} "
                + "{\"Limits\":{\"NanoCPUs\":1000000000},\"Reservations\":{\"NanoCPUs\":500000000,\"MemoryBytes\":536870912}}\n");
  }
}
