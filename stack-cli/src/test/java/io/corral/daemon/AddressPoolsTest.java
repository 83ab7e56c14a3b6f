package io.corral.daemon;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPoolsTest {

  @Test
  void dockersDefaultsAndDisjointPoolsThatHoldTheSubnetSizeAreAccepted() {
    assertThatCode(() -> AddressPools.validate(List.of(), 0)).doesNotThrowAnyException();
    assertThatCode(() -> AddressPools.validate(List.of("10.10.0.0/16", "192.168.0.0/20"), 24))
        .doesNotThrowAnyException();
    assertThatCode(() -> AddressPools.validate(List.of("10.10.0.0/24"), 24))
        .doesNotThrowAnyException();
  }

  @Test
  void eachRefusalNamesTheFlagAndTheValue() {
    assertRefused(List.of("10.0.0/8"), 0, "--default-addr-pool: 10.0.0/8 is not an IPv4 CIDR");
    assertRefused(
        List.of("10.1.2.3/16"),
        0,
        "--default-addr-pool: 10.1.2.3/16 has host bits set: give its network address (e.g. "
            + "10.1.0.0/16)");
    assertRefused(
        List.of("10.0.0.0/8", "10.20.0.0/16"),
        0,
        "--default-addr-pool: 10.20.0.0/16 overlaps 10.0.0.0/8");
    assertRefused(
        List.of("10.10.0.0/26"),
        24,
        "--default-addr-pool: 10.10.0.0/26 is smaller than a subnet of "
            + "--default-addr-pool-mask-length 24");
    assertRefused(List.of(), 30, "--default-addr-pool-mask-length: 30 is out of range");
  }

  private static void assertRefused(List<String> pools, int size, String message) {
    assertThatThrownBy(() -> AddressPools.validate(pools, size))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining(message);
  }
}
