package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
