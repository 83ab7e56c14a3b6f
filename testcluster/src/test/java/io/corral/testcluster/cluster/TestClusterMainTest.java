package io.corral.testcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testcluster.NeedsRoot;
import io.corral.testcluster.net.Namespaces;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The bin/testcluster commands, one invocation after the other, as a person would type them. */
@NeedsRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestClusterMainTest {

  private final String name =
      "tm" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private Path root;
  private String fake;

  @BeforeAll
  void install(@TempDir Path dir) throws Exception {
    root = dir.resolve("cluster");
    fake = String.join(",", FakeCorral.install(dir.resolve("fake")).prefix());
  }

  @AfterAll
  void cleanUp() {
    TestCluster.down(name, root, false);
  }

  private record Run(int code, String out, String err) {}

  private Run run(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "--name", name, "--root", root.toString()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        TestClusterMain.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void upThenFaultsThenDown() {
    Run up =
        run(
            "up",
            "--managers",
            "1",
            "--workers",
            "1",
            "--corral-command",
            fake,
            "--ready-timeout",
            "20");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out())
        .containsPattern("m1\\s+manager\\s+10\\.77\\.0\\.11")
        .containsPattern("w1\\s+worker\\s+10\\.77\\.0\\.12");
    assertThat(run("up", "--corral-command", fake).err()).contains("already up");

    assertThat(run("exec", "m1", "--", "corral", "info").code()).isZero();
    assertThat(run("exec", "w1", "--", "bash", "-c", "exit 5").code()).isEqualTo(5);

    assertThat(run("kill", "w1").code()).isZero();
    assertThat(run("status").out())
        .containsPattern("w1\\s+worker\\s+10\\.77\\.0\\.12\\s+-\\s+stopped");
    assertThat(run("restart", "w1").code()).isZero();
    assertThat(run("status").out()).containsPattern("w1 .*running\\s+connected");

    assertThat(run("partition", "m1").code()).isZero();
    assertThat(run("status").out()).containsPattern("m1 .*running\\s+CUT");
    assertThat(run("heal", "m1").code()).isZero();
    assertThat(run("status").out()).containsPattern("m1 .*running\\s+connected");

    Run bad = run("kill", "m9");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("no node m9").contains("[m1, w1]");

    assertThat(run("down").code()).isZero();
    assertThat(Namespaces.list()).noneMatch(ns -> ns.startsWith("crl-" + name + "-"));
    assertThat(root).doesNotExist();
    assertThat(run("status").code()).isEqualTo(1);
    assertThat(run("down").code()).as("down is idempotent").isZero();
  }

  @Test
  void logsPrintsADaemonsLogWhileUpAndAfterDownUntilTheNextUp() throws Exception {
    Run up =
        run(
            "up",
            "--managers",
            "1",
            "--workers",
            "1",
            "--corral-command",
            fake,
            "--ready-timeout",
            "20");
    assertThat(up.code()).as(up.err()).isZero();
    assertThat(up.out())
        .contains("daemon logs: " + root.resolve("NODE").resolve("daemon.log"))
        .contains("bin/testcluster logs --name " + name + " --root " + root + " NODE [-f]");
    assertThat(run("status").out()).contains("daemon logs: ");
    Run logs = run("logs", "w1");
    assertThat(logs.code()).as(logs.err()).isZero();
    assertThat(logs.out())
        .contains("=== testcluster: ")
        .contains("starting w1")
        .contains("fake daemon ");
    assertThat(run("logs", "m9").err()).contains("no node m9");

    // -f prints what is appended, and ends when down moves the log away.
    Path log = root.resolve("w1").resolve("daemon.log");
    StringWriter followed = new StringWriter();
    Thread follower =
        new Thread(
            () ->
                TestClusterMain.commandLine()
                    .setOut(new PrintWriter(followed, true))
                    .execute("logs", "--name", name, "--root", root.toString(), "-f", "w1"));
    follower.start();
    Files.writeString(log, "appended while following\n", StandardOpenOption.APPEND);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> followed.toString().contains("appended while following"));
    Run down = run("down");
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(down.out())
        .contains("is down: killed the daemons of m1, w1")
        .contains("daemon logs kept in " + root + ".logs until the next up");
    follower.join(10_000);
    assertThat(follower.isAlive()).as("logs -f ends with the cluster").isFalse();

    assertThat(root).doesNotExist();
    assertThat(run("logs", "w1").out())
        .contains("starting w1")
        .contains("appended while following");
    assertThat(run("status").out())
        .contains("daemon logs of the last one (m1, w1) are kept in " + root + ".logs");
    assertThat(run("logs", "w2").err())
        .contains("no log of w2 kept in " + root + ".logs (only of [m1, w1])");

    assertThat(
            run("up", "--managers", "1", "--corral-command", fake, "--ready-timeout", "20").code())
        .isZero();
    assertThat(root.resolveSibling(root.getFileName() + ".logs"))
        .as("removed by the next up")
        .doesNotExist();
    assertThat(run("logs", "m1").out()).doesNotContain("appended while following");
    assertThat(run("down").code()).isZero();
  }
}
