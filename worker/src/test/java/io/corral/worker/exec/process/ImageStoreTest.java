package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.HealthConfig;
import io.corral.common.ProtoTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {

  @TempDir Path root;

  @Test
  void referencesNameATagDirectoryWithLatestAsTheDefault() {
    assertThat(ImageRef.parse("app:1")).isEqualTo(new ImageRef("app", "1"));
    assertThat(ImageRef.parse("app")).isEqualTo(new ImageRef("app", "latest"));
    assertThat(ImageRef.parse("registry:5000/team/app"))
        .isEqualTo(new ImageRef("registry:5000/team/app", "latest"));
    assertThat(ImageRef.parse("team/app:2@sha256:abc")).isEqualTo(new ImageRef("team/app", "2"));
    assertThat(ImageRef.parse("team/app:2").directory(root)).isEqualTo(root.resolve("team/app/2"));
  }

  @Test
  void referencesThatWouldLeaveTheImageRootAreInvalid() {
    assertThatThrownBy(() -> ImageRef.parse("../etc:1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageRef.parse("app:..")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageRef.parse("/abs:1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageRef.parse("app:")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aManifestGivesEntrypointCmdEnvAndWorkdir() throws Exception {
    Path dir = root.resolve("app/1");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("image.properties"),
        String.join(
            "\n",
            "# comment",
            "entrypoint=/bin/sh -c \"echo hi; sleep 5\"",
            "cmd=a 'b c'",
            "env.B=2",
            "env.A=one two",
            "workdir=/srv",
            "unknown=ignored",
            ""));
    ImageManifest m = new ImageStore(root).resolve("app:1");
    assertThat(m.directory()).isEqualTo(dir);
    assertThat(m.entrypoint()).containsExactly("/bin/sh", "-c", "echo hi; sleep 5");
    assertThat(m.cmd()).containsExactly("a", "b c");
    assertThat(m.env())
        .containsExactly(java.util.Map.entry("A", "one two"), java.util.Map.entry("B", "2"));
    assertThat(m.workdir()).isEqualTo("/srv");
  }

  @Test
  void aMissingImageOrManifestIsNoSuchImage() throws IOException {
    ImageStore store = new ImageStore(root);
    assertThatThrownBy(() -> store.resolve("app:3"))
        .isInstanceOf(ImageStore.NoSuchImageException.class)
        .hasMessage("No such image: app:3");
    Files.createDirectories(root.resolve("app/latest"));
    assertThatThrownBy(() -> store.resolve("app")).hasMessage("No such image: app:latest");
    assertThatThrownBy(() -> store.resolve("../x")).hasMessage("No such image: ../x");
  }

  @Test
  void aMalformedManifestNamesTheKey() throws IOException {
    Path dir = root.resolve("bad/1");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("image.properties"), "cmd=echo 'unclosed\n");
    assertThatThrownBy(() -> new ImageStore(root).resolve("bad:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("image.properties: cmd: unclosed single quote");
  }

  @Test
  void aManifestGivesAHealthcheckAsCmdShellWithItsTimings() throws Exception {
    Path dir = root.resolve("app/2");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("image.properties"),
        String.join(
            "\n",
            "entrypoint=sleep 100",
            "healthcheck=test -f /tmp/ready && echo ok",
            "healthcheck.interval=500ms",
            "healthcheck.timeout=2s",
            "healthcheck.start_period=1m",
            "healthcheck.retries=2",
            ""));
    HealthConfig h = new ImageStore(root).resolve("app:2").healthcheck();
    assertThat(h.getTestList()).containsExactly("CMD-SHELL", "test -f /tmp/ready && echo ok");
    assertThat(ProtoTime.duration(h.getInterval())).isEqualTo(Duration.ofMillis(500));
    assertThat(ProtoTime.duration(h.getTimeout())).isEqualTo(Duration.ofSeconds(2));
    assertThat(ProtoTime.duration(h.getStartPeriod())).isEqualTo(Duration.ofMinutes(1));
    assertThat(h.getRetries()).isEqualTo(2);
  }

  @Test
  void aManifestWithoutHealthcheckHasNoneAndNoneDisablesIt() throws Exception {
    Path dir = root.resolve("app/3");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("image.properties"), "entrypoint=sleep 100\n");
    assertThat(new ImageStore(root).resolve("app:3").healthcheck())
        .isEqualTo(HealthConfig.getDefaultInstance());
    Files.writeString(dir.resolve("image.properties"), "entrypoint=sleep 100\nhealthcheck=NONE\n");
    assertThat(new ImageStore(root).resolve("app:3").healthcheck().getTestList())
        .containsExactly("NONE");
  }

  @Test
  void aMalformedHealthcheckTimingNamesTheKey() throws IOException {
    Path dir = root.resolve("app/4");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("image.properties"), "entrypoint=sleep 100\nhealthcheck.interval=1 second\n");
    assertThatThrownBy(() -> new ImageStore(root).resolve("app:4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("healthcheck.interval")
        .hasMessageContaining("500ms");
  }
}
