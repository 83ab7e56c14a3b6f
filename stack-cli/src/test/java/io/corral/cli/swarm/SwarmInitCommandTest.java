package io.corral.cli.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.InitRequest;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwarmInitCommandTest {

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

  @Test
  void addressPoolsRepeatedOrCommaSeparatedAndTheMaskLengthAreSent() {
    Result r =
        daemon.run(
            "swarm",
            "init",
            "--default-addr-pool",
            "10.10.0.0/16",
            "--default-addr-pool",
            "10.20.0.0/16,10.30.0.0/16",
            "--default-addr-pool-mask-length",
            "26");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    InitRequest sent = daemon.requests(InitRequest.class).get(0);
    assertThat(sent.getDefaultAddressPoolList())
        .containsExactly("10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16");
    assertThat(sent.getSubnetSize()).isEqualTo(26);
  }

  @Test
  void withoutPoolFlagsTheDaemonsDefaultsApply() {
    daemon.run("swarm", "init");

    InitRequest sent = daemon.requests(InitRequest.class).get(0);
    assertThat(sent.getDefaultAddressPoolList()).isEmpty();
    assertThat(sent.getSubnetSize()).isZero();
  }

  @Test
  void aMaskLengthThatIsNotANumberIsRefusedBeforeAnyCall() {
    Result r = daemon.run("swarm", "init", "--default-addr-pool-mask-length", "/24");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "invalid argument \"/24\" for \"--default-addr-pool-mask-length\" flag: "
                + "strconv.ParseUint: parsing \"/24\": invalid syntax\n");
    assertThat(daemon.methods()).isEmpty();
  }
}
