package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.ContainerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Docker's rules for entrypoint, cmd, env and workdir. */
class LaunchPlanTest {

  private static final Path DIR = Path.of("/images/app/1");
  private final ImageManifest image =
      new ImageManifest(
          DIR,
          List.of("/entry", "-x"),
          List.of("default"),
          Map.of("A", "img", "PATH", "/img/bin"),
          "");

  @Test
  void theImageEntrypointAndCmdRunWhenTheSpecSaysNothing() {
    LaunchPlan p = LaunchPlan.of(ContainerSpec.getDefaultInstance(), image);
    assertThat(p.argv()).containsExactly("/entry", "-x", "default");
    assertThat(p.workdir()).isEqualTo(DIR);
    assertThat(p.env()).containsEntry("PATH", "/img/bin").containsEntry("A", "img");
  }

  @Test
  void argsReplaceTheCmdAndKeepTheEntrypoint() {
    assertThat(
            LaunchPlan.of(ContainerSpec.newBuilder().addArgs("a").addArgs("b").build(), image)
                .argv())
        .containsExactly("/entry", "-x", "a", "b");
  }

  @Test
  void aCommandReplacesTheEntrypointAndDropsTheCmd() {
    assertThat(
            LaunchPlan.of(ContainerSpec.newBuilder().addCommand("/bin/echo").build(), image).argv())
        .containsExactly("/bin/echo");
    assertThat(
            LaunchPlan.of(
                    ContainerSpec.newBuilder().addCommand("/bin/echo").addArgs("hi").build(), image)
                .argv())
        .containsExactly("/bin/echo", "hi");
  }

  @Test
  void taskEnvOverridesImageEnvOverDefaultPath() {
    ImageManifest plain =
        new ImageManifest(DIR, List.of("x"), List.of(), Map.of("A", "img", "B", "img"), "");
    LaunchPlan p =
        LaunchPlan.of(
            ContainerSpec.newBuilder().addEnv("B=task").addEnv("C=x=y").addEnv("A").build(), plain);
    assertThat(p.env())
        .containsEntry("PATH", LaunchPlan.DEFAULT_PATH)
        .containsEntry("B", "task")
        .containsEntry("C", "x=y")
        .doesNotContainKey("A");
  }

  @Test
  void theSpecDirOverridesTheImageWorkdirAndRelativeOnesAreInTheImageDirectory() {
    ImageManifest withWorkdir = new ImageManifest(DIR, List.of("x"), List.of(), Map.of(), "data");
    assertThat(LaunchPlan.of(ContainerSpec.getDefaultInstance(), withWorkdir).workdir())
        .isEqualTo(DIR.resolve("data"));
    assertThat(
            LaunchPlan.of(ContainerSpec.newBuilder().setDir("/tmp").build(), withWorkdir).workdir())
        .isEqualTo(Path.of("/tmp"));
  }

  @Test
  void userGroupsAndStopSignalAreCarried() {
    LaunchPlan p =
        LaunchPlan.of(
            ContainerSpec.newBuilder()
                .setUser("app:staff")
                .addGroups("audio")
                .setStopSignal("SIGINT")
                .build(),
            image);
    assertThat(p.user()).isEqualTo("app:staff");
    assertThat(p.groups()).containsExactly("audio");
    assertThat(Signals.normalize(p.stopSignal())).isEqualTo("INT");
    assertThat(Signals.normalize("")).isEqualTo("TERM");
    assertThat(Signals.normalize("sighup")).isEqualTo("HUP");
    assertThat(Signals.normalize("9")).isEqualTo("9");
    assertThat(Signals.normalize("TERM; rm -rf /")).isEqualTo("TERM");
  }

  @Test
  void nothingToRunIsAnError() {
    ImageManifest empty = new ImageManifest(DIR, List.of(), List.of(), Map.of(), "");
    assertThatThrownBy(() -> LaunchPlan.of(ContainerSpec.getDefaultInstance(), empty))
        .hasMessage("No command specified");
  }
}
