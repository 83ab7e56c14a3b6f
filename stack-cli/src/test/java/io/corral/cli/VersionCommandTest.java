package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionCommandTest {

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon = FakeDaemon.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  private static String client() {
    return """
        Client:
         Version:           %s
         API version:       %s
         Java version:      %s
         OS/Arch:           %s/%s
        """
        .formatted(
            VersionInfo.version(),
            VersionInfo.API_VERSION,
            System.getProperty("java.version"),
            VersionInfo.os(),
            VersionInfo.arch());
  }

  @Test
  void showsTheClientAndTheDaemonLikeDockerVersion() {
    Result r = daemon.run("version");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            client()
                + """

        Server: Corral
         Daemon:
          Version:          0.9.0
          API version:      1.0
          Java version:     17.0.15
          JVM:              OpenJDK 64-Bit Server VM (Debian)
          OS/Arch:          linux/x86_64
          Kernel Version:   6.1.0-28-amd64
        """);
    assertThat(daemon.methods()).containsExactly("Version");
  }

  @Test
  void withoutADaemonTheClientPartIsPrintedAndTheReasonOnStandardError() throws Exception {
    daemon.close();

    Result r = daemon.run("version", "--socket", daemon.socket().toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(client() + "\n");
    assertThat(r.err())
        .isEqualTo(
            "Cannot connect to the Corral daemon at unix://"
                + daemon.socket()
                + ". Is the corral daemon running?\n");
  }
}
