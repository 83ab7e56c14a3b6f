package io.corral.cli.node;

import static io.corral.cli.FakeDaemon.manager;
import static io.corral.cli.FakeDaemon.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.GetNodeRequest;
import io.corral.api.Node;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeInspectCommandTest {

  static final String ALPHA = "4kq8wz1x2c3v4b5n6m7l8k9j0";
  static final String BETA = "9hgf8d7s6a5p4o3i2u1y0t9r8";
  static final String GAMMA = "9hzzzzzzzzzzzzzzzzzzzzzzz";

  static final String ALPHA_JSON =
      """
      [
          {
              "ID": "4kq8wz1x2c3v4b5n6m7l8k9j0",
              "Version": {
                  "Index": 7
              },
              "CreatedAt": "2024-01-02T03:04:05.123456789Z",
              "UpdatedAt": "2024-01-02T03:04:05.123456789Z",
              "Spec": {
                  "Labels": {
                      "zone": "a"
                  },
                  "Role": "manager",
                  "Availability": "active"
              },
              "Description": {
                  "Hostname": "alpha",
                  "Platform": {
                      "Architecture": "x86_64",
                      "OS": "linux"
                  },
                  "Resources": {
                      "NanoCPUs": 4000000000,
                      "MemoryBytes": 8589934592
                  },
                  "Engine": {
                      "EngineVersion": "24.0.7"
                  },
                  "TLSInfo": {}
              },
              "Status": {
                  "State": "ready",
                  "Addr": "10.0.0.1"
              },
              "ManagerStatus": {
                  "Leader": true,
                  "Reachability": "reachable",
                  "Addr": "10.0.0.1:2377"
              }
          }
      ]
      """;

  static final String ALPHA_PRETTY =
      """
      ID:\t\t\t4kq8wz1x2c3v4b5n6m7l8k9j0
      Labels:
       - zone=a
      Hostname:              \talpha
      Joined at:             \t2024-01-02 03:04:05.123456789 +0000 UTC
      Status:
       State:\t\t\tReady
       Availability:         \tActive
       Address:\t\t10.0.0.1
      Manager Status:
       Address:\t\t10.0.0.1:2377
       Raft Status:\t\tReachable
       Leader:\t\tYes
      Platform:
       Operating System:\tlinux
       Architecture:\t\tx86_64
      Resources:
       CPUs:\t\t\t4
       Memory:\t\t8GiB
      Engine Version:\t\t24.0.7
      """;

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    Node alpha = manager(ALPHA, "alpha", "10.0.0.1", true);
    daemon =
        FakeDaemon.start(dir)
            .self(ALPHA, "10.0.0.1:2377")
            .add(
                alpha.toBuilder()
                    .setSpec(
                        alpha.getSpec().toBuilder()
                            .setAnnotations(
                                alpha.getSpec().getAnnotations().toBuilder()
                                    .putLabels("zone", "a")))
                    .build(),
                worker(BETA, "beta", "10.0.0.2"),
                worker(GAMMA, "gamma", "10.0.0.3"));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void printsDockersJsonArray() {
    Result r = daemon.run("node", "inspect", ALPHA);

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(ALPHA_JSON);
    assertThat(daemon.requests(GetNodeRequest.class))
        .containsExactly(GetNodeRequest.newBuilder().setNodeId(ALPHA).build());
  }

  @Test
  void selfIsTheNodeTheDaemonRunsOn() {
    Result r = daemon.run("node", "inspect", "self");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(ALPHA_JSON);
    assertThat(daemon.methods()).containsExactly("Info", "GetNode");
  }

  @Test
  void aHostnameOrUniqueIdPrefixNamesANode() {
    assertThat(daemon.run("node", "inspect", "alpha").out()).isEqualTo(ALPHA_JSON);
    assertThat(daemon.run("node", "inspect", "4kq8").out()).isEqualTo(ALPHA_JSON);
  }

  @Test
  void severalNodesAreOneArray() {
    Result r = daemon.run("node", "inspect", "--format", "", "alpha", "beta");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .startsWith("[\n    {\n        \"ID\": \"" + ALPHA + "\",")
        .contains("\n    },\n    {\n        \"ID\": \"" + BETA + "\",")
        .endsWith("\n    }\n]\n");
  }

  @Test
  void anUnknownNodeIsAnErrorAfterAnEmptyArray() {
    Result r = daemon.run("node", "inspect", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    // docker's inspector flushes "[]" before reporting the error.
    assertThat(r.out()).isEqualTo("[]\n");
    assertThat(r.err()).isEqualTo("Error: No such node: nope\n");
  }

  @Test
  void theNodesFoundArePrintedBeforeTheErrors() {
    Result r = daemon.run("node", "inspect", "nope", ALPHA, "missing");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(ALPHA_JSON);
    assertThat(r.err()).isEqualTo("Error: No such node: nope\nError: No such node: missing\n");
  }

  @Test
  void anAmbiguousPrefixIsReportedLikeTheDockerDaemon() {
    Result r = daemon.run("node", "inspect", "9h");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("Error response from daemon: node 9h is ambiguous (2 matches found)\n");
  }

  @Test
  void aDaemonErrorIsPrintedAsAnErrorResponse() {
    daemon.fail(
        "GetNode", Status.FAILED_PRECONDITION.withDescription("This node is not a swarm manager."));

    Result r = daemon.run("node", "inspect", ALPHA);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("Error response from daemon: This node is not a swarm manager.\n");
    // Only NOT_FOUND / INVALID_ARGUMENT make the resolver look further.
    assertThat(daemon.methods()).containsExactly("GetNode");
  }

  @Test
  void formatJsonPrintsOneCompactObjectPerLine() {
    Result r = daemon.run("node", "inspect", "--format", "json", "alpha", "beta");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).hasSize(2);
    assertThat(r.outLines().get(0))
        .startsWith("{\"ID\":\"" + ALPHA + "\",\"Version\":{\"Index\":7},")
        .endsWith(
            "\"ManagerStatus\":{\"Leader\":true,\"Reachability\":\"reachable\",\"Addr\":\"10.0.0.1:2377\"}}");
    assertThat(r.outLines().get(1))
        .startsWith("{\"ID\":\"" + BETA + "\",")
        .doesNotContain("ManagerStatus");
  }

  @Test
  void aTemplateIsExecutedPerNode() {
    Result r =
        daemon.run(
            "node",
            "inspect",
            "-f",
            "{{.Description.Hostname}} {{.Spec.Role}} {{.Status.State}}",
            "alpha",
            "beta");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("alpha manager ready\nbeta worker ready\n");
  }

  @Test
  void prettyPrintsDockersHumanReadableForm() {
    Result r = daemon.run("node", "inspect", "--pretty", "self");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(ALPHA_PRETTY);
  }

  @Test
  void prettyOfAWorkerHasNoManagerStatus() {
    Result r = daemon.run("node", "inspect", "--pretty", "beta");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "ID:\t\t\t" + BETA,
            "Hostname:              \tbeta",
            "Joined at:             \t2024-01-02 03:04:05.123456789 +0000 UTC",
            "Status:",
            " State:\t\t\tReady",
            " Availability:         \tActive",
            " Address:\t\t10.0.0.2",
            "Platform:",
            " Operating System:\tlinux",
            " Architecture:\t\tx86_64",
            "Resources:",
            " CPUs:\t\t\t4",
            " Memory:\t\t8GiB",
            "Engine Version:\t\t24.0.7");
  }

  @Test
  void formatPrettyIsThePrettyForm() {
    assertThat(daemon.run("node", "inspect", "--format", "pretty", ALPHA).out())
        .isEqualTo(ALPHA_PRETTY);
  }

  @Test
  void prettyBlocksOfSeveralNodesFollowEachOther() {
    Result r = daemon.run("node", "inspect", "--pretty", "alpha", "beta");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith(ALPHA_PRETTY + "ID:\t\t\t" + BETA + "\n");
  }

  @Test
  void prettyPrintsNothingWhenANodeIsUnknown() {
    Result r = daemon.run("node", "inspect", "--pretty", "alpha", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("Error: No such node: nope\n");
  }

  @Test
  void prettyWithExtraFormattingIsRefused() {
    Result r = daemon.run("node", "inspect", "--format", "pretty {{.ID}}", "alpha");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("cannot supply extra formatting options to the pretty template\n");
    assertThat(daemon.calls()).isEmpty();
  }
}
