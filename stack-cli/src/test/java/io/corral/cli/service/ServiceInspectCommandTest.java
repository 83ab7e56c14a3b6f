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

  /** web in its canary stage since 2 s before {@code now}, with canaries and a health check. */
  static Service canaryService(java.time.Instant now) {
    Service.Builder b = service("can00000000000000000000001", "can", "app:2", 6).toBuilder();
    b.getSpecBuilder()
        .setUpdate(
            UpdateConfig.newBuilder()
                .setParallelism(2)
                .setCanary(2)
                .setCanaryAuto(Duration.newBuilder().setSeconds(30)))
        .getTaskBuilder()
        .getContainerBuilder()
        .setHealthcheck(
            io.corral.api.HealthConfig.newBuilder()
                .addTest("CMD-SHELL")
                .addTest("curl -f localhost")
                .setInterval(Duration.newBuilder().setSeconds(10))
                .setRetries(3));
    b.setUpdateStatus(
        io.corral.api.UpdateStatus.newBuilder()
            .setState(io.corral.api.UpdateStatus.UpdateState.CANARY)
            .setStartedAt(
                com.google.protobuf.Timestamp.newBuilder().setSeconds(now.getEpochSecond() - 2))
            .setMessage("canary: 2 of 6 slots updated; promote or roll back"));
    return b.build();
  }

  @Test
  void jsonShowsTheUpdateStatusCanarySettingsAndHealthCheck() {
    java.time.Instant now = java.time.Instant.parse("2024-03-01T12:00:00Z");
    daemon.add(canaryService(now));

    Result r = daemon.run("service", "inspect", "can");

    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            """
        [
            {
                "ID": "can00000000000000000000001",
                "Version": {
                    "Index": 7
                },
                "CreatedAt": "2024-01-02T03:04:05.123456789Z",
                "UpdatedAt": "2024-01-02T03:04:05.123456789Z",
                "Spec": {
                    "Name": "can",
                    "Labels": {},
                    "TaskTemplate": {
                        "ContainerSpec": {
                            "Image": "app:2",
                            "Healthcheck": {
                                "Test": [
                                    "CMD-SHELL",
                                    "curl -f localhost"
                                ],
                                "Interval": 10000000000,
                                "Retries": 3
                            },
                            "Isolation": "default"
                        },
                        "ForceUpdate": 0,
                        "Runtime": "container"
                    },
                    "Mode": {
                        "Replicated": {
                            "Replicas": 6
                        }
                    },
                    "UpdateConfig": {
                        "Parallelism": 2,
                        "FailureAction": "pause",
                        "MaxFailureRatio": 0,
                        "Order": "stop-first",
                        "Canary": 2,
                        "CanaryAuto": 30000000000
                    },
                    "EndpointSpec": {
                        "Mode": "vip"
                    }
                },
                "Endpoint": {
                    "Spec": {}
                },
                "UpdateStatus": {
                    "State": "canary",
                    "StartedAt": "2024-03-01T11:59:58Z",
                    "Message": "canary: 2 of 6 slots updated; promote or roll back"
                }
            }
        ]
        """);
  }

  @Test
  void prettyShowsTheUpdateStatusAsAgesTheCanarySettingsAndDockersHealthcheckBlock() {
    java.time.Instant now = java.time.Instant.parse("2024-03-01T12:00:00Z");
    daemon.clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).add(canaryService(now));

    Result r = daemon.run("service", "inspect", "--pretty", "can");

    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "\n"
                + "ID:\t\tcan00000000000000000000001\n"
                + "Name:\t\tcan\n"
                + "Service Mode:\tReplicated\n"
                + " Replicas:\t6\n"
                + "UpdateStatus:\n"
                + " State:\t\tcanary\n"
                + " Started:\t2 seconds ago\n"
                + " Message:\tcanary: 2 of 6 slots updated; promote or roll back\n"
                + "Placement:\n"
                + "UpdateConfig:\n"
                + " Parallelism:\t2\n"
                + " On failure:\tpause\n"
                + " Max failure ratio: 0\n"
                + " Update order:      stop-first\n"
                + " Canary:\t\t2\n"
                + " Canary auto-promote: 30s\n"
                + "ContainerSpec:\n"
                + " Image:\t\tapp:2\n"
                + "Endpoint Mode:\tvip\n"
                + " Healthcheck:\n"
                + "  Interval = 10s\n"
                + "  Retries = 3\n"
                + "  StartPeriod =\t0s\n"
                + "  Timeout =\t0s\n"
                + "  Tests:\n"
                + "\t Test = CMD-SHELL\n"
                + "\t Test = curl -f localhost \n");
  }
}
