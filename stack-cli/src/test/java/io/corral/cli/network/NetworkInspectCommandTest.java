package io.corral.cli.network;

import static io.corral.cli.FakeDaemon.JOINED;
import static io.corral.cli.FakeDaemon.network;
import static io.corral.cli.FakeDaemon.task;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.Annotations;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkInspectCommandTest {

  static final String FRONT = "f1ront00000000000000000001";
  static final String BACK = "b2ack000000000000000000002";
  static final String NODE1 = "node1000000000000000000001";
  static final String NODE2 = "node2000000000000000000002";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Network front = network(FRONT, "front", "10.0.1.0/24", 4096);
    daemon =
        FakeDaemon.start(dir)
            .add(front, network(BACK, "back", "10.0.2.0/24", 4097))
            .add(worker(NODE1, "one", "192.168.0.1"), worker(NODE2, "two", "192.168.0.2"))
            .add(
                attached("task1", NODE1, TaskState.RUNNING, front, "10.0.1.5/24"),
                attached("task2", NODE2, TaskState.STARTING, front, "10.0.1.6/24"),
                // Ended: its address is no longer in use.
                attached("task3", NODE2, TaskState.FAILED, front, "10.0.1.7/24"));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private static Task attached(String id, String node, TaskState state, Network n, String address) {
    return task(id, "svc", 1, node, state, TaskState.RUNNING, JOINED).toBuilder()
        .setAnnotations(Annotations.newBuilder().setName("web.1." + id))
        .addNetworks(NetworkAttachment.newBuilder().setNetwork(n).addAddresses(address))
        .build();
  }

  @Test
  void printsDockersShapeWithTheLiveTasksAndTheirNodes() {
    Result r = daemon.run("network", "inspect", "front");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            [
                {
                    "Name": "front",
                    "Id": "f1ront00000000000000000001",
                    "Created": "2024-01-02T03:04:05.123456789Z",
                    "Scope": "swarm",
                    "Driver": "overlay",
                    "EnableIPv6": false,
                    "IPAM": {
                        "Driver": "default",
                        "Options": null,
                        "Config": [
                            {
                                "Subnet": "10.0.1.0/24",
                                "Gateway": "10.0.1.1"
                            }
                        ]
                    },
                    "Internal": false,
                    "Attachable": false,
                    "Ingress": false,
                    "Containers": {
                        "task1": {
                            "Name": "web.1.task1",
                            "MacAddress": "02:42:0a:00:01:05",
                            "IPv4Address": "10.0.1.5/24",
                            "IPv6Address": ""
                        },
                        "task2": {
                            "Name": "web.1.task2",
                            "MacAddress": "02:42:0a:00:01:06",
                            "IPv4Address": "10.0.1.6/24",
                            "IPv6Address": ""
                        }
                    },
                    "Options": {
                        "com.docker.network.driver.overlay.vxlanid_list": "4096"
                    },
                    "Labels": {},
                    "Peers": [
                        {
                            "Name": "one",
                            "IP": "192.168.0.1"
                        },
                        {
                            "Name": "two",
                            "IP": "192.168.0.2"
                        }
                    ]
                }
            ]
            """);
  }

  @Test
  void templatesAndJsonLinesPerNetworkAndEveryMissingOneReported() {
    Result r =
        daemon.run("network", "inspect", "-f", "{{.Name}} {{.Driver}}", "back", "nope", "f1");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("back overlay\nfront overlay\n");
    assertThat(r.err()).isEqualTo("Error: No such network: nope\n");
  }

  @Test
  void anUnusedNetworkHasNoContainersAndNoPeers() {
    Result r = daemon.run("network", "inspect", "--format", "json", "back");

    assertThat(r.out()).contains("\"Containers\":{}").doesNotContain("Peers");
  }
}
