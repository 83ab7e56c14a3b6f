package io.corral.manager.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.Driver;
import io.corral.api.IPAMConfig;
import io.corral.api.IPAMOptions;
import io.corral.api.Network;
import io.corral.api.NetworkAttachment;
import io.corral.api.Task;
import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import io.corral.manager.controller.Change;
import io.corral.manager.controller.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpamTest {

  static Network network(String id, String subnet, String gateway, String range) {
    return Network.newBuilder()
        .setId(id)
        .setDriverState(
            Driver.newBuilder()
                .setName("overlay")
                .putOptions(NetworkAllocator.VXLAN_ID_OPTION, "4096"))
        .setIpam(
            IPAMOptions.newBuilder()
                .addConfigs(
                    IPAMConfig.newBuilder().setSubnet(subnet).setGateway(gateway).setRange(range)))
        .build();
  }

  private static Task task(String id, TaskState state, String networkId, String addr) {
    return Task.newBuilder()
        .setId(id)
        .setStatus(TaskStatus.newBuilder().setState(state))
        .addNetworks(
            NetworkAttachment.newBuilder()
                .setNetwork(Network.newBuilder().setId(networkId))
                .addAddresses(addr))
        .build();
  }

  private static AddressBook book(Network n, Task... tasks) {
    return new AddressBook(
        ClusterSnapshot.of(Optional.empty(), List.of(), List.of(), List.of(tasks), List.of(n)));
  }

  private static List<String> takeAll(AddressBook book, String networkId) {
    List<String> out = new ArrayList<>();
    for (Optional<AddressBook.Taken> t = book.take(networkId);
        t.isPresent();
        t = book.take(networkId)) {
      out.add(book.format(t.get()));
    }
    return out;
  }

  @Test
  void cidrsAreParsedAndCheckedWithTheReason() {
    Cidr c = Cidr.parse("10.0.1.0/24");
    assertThat(c.size()).isEqualTo(256);
    assertThat(Cidr.format(c.last())).isEqualTo("10.0.1.255");
    assertThat(c.overlaps(Cidr.parse("10.0.0.0/16"))).isTrue();
    assertThat(c.overlaps(Cidr.parse("10.0.2.0/24"))).isFalse();
    assertThat(c.contains(Cidr.parse("10.0.1.128/25"))).isTrue();
    assertThatThrownBy(() -> Cidr.parse("10.0.1.1/24")).hasMessageContaining("use 10.0.1.0");
    assertThatThrownBy(() -> Cidr.parse("10.0.300.0/24")).hasMessageContaining("300");
    assertThatThrownBy(() -> Cidr.parse("front")).hasMessageContaining("invalid CIDR \"front\"");
  }

  @Test
  void subnetsAreCarvedFromThePoolAroundTheOnesInUse() {
    SubnetPool pool = SubnetPool.parse(List.of(), 0);
    assertThat(pool.next(List.of())).contains(Cidr.parse("10.0.0.0/24"));
    assertThat(pool.next(List.of(Cidr.parse("10.0.0.0/24"), Cidr.parse("10.0.1.0/24"))))
        .contains(Cidr.parse("10.0.2.0/24"));
    // A larger requested subnet is skipped as a whole.
    assertThat(pool.next(List.of(Cidr.parse("10.0.0.0/16")))).contains(Cidr.parse("10.1.0.0/24"));
    SubnetPool small = SubnetPool.parse(List.of("192.168.0.0/23"), 24);
    assertThat(small.next(List.of(Cidr.parse("192.168.0.0/24"), Cidr.parse("192.168.1.0/24"))))
        .isEmpty();
  }

  @Test
  void thePoolOfSwarmInitIsValidatedNamingTheFlag() {
    assertThat(SubnetPool.parse(List.of("10.20.0.0/16"), 26).subnetSize()).isEqualTo(26);
    assertThatThrownBy(() -> SubnetPool.parse(List.of("10.20.0.0/33"), 24))
        .hasMessageStartingWith("--default-addr-pool: invalid CIDR");
    assertThatThrownBy(() -> SubnetPool.parse(List.of("10.20.0.0/16"), 8))
        .hasMessageStartingWith("--default-addr-pool-mask-length: 8 must be between");
    assertThatThrownBy(() -> SubnetPool.parse(List.of("10.20.0.0/16"), 30))
        .hasMessageContaining("and 29");
    assertThatThrownBy(() -> SubnetPool.parse(List.of("10.0.0.0/8", "10.1.0.0/16"), 24))
        .hasMessageContaining("overlaps");
  }

  @Test
  void addressesAreGivenSeriallySkippingGatewayAndWhatIsInUseUntilExhausted() {
    Network n = network("n", "10.0.1.0/29", "10.0.1.1", "");
    AddressBook book = book(n, task("t", TaskState.RUNNING, "n", "10.0.1.3/29"));
    // .0 network, .1 gateway, .3 in use, .7 broadcast.
    assertThat(takeAll(book, "n"))
        .containsExactly("10.0.1.2/29", "10.0.1.4/29", "10.0.1.5/29", "10.0.1.6/29");
    assertThat(book.take("n")).isEmpty();
  }

  @Test
  void terminatedTasksReleaseTheirAddressesButTheyAreReusedAsLateAsPossible() {
    Network n = network("n", "10.0.1.0/29", "10.0.1.1", "");
    AddressBook first = book(n);
    first.take("n");
    first.take("n");
    Network written = network(first);
    // The task on .2 has ended; the next address comes after the last one given, wrapping.
    AddressBook later =
        book(
            written,
            task("a", TaskState.FAILED, "n", "10.0.1.2/29"),
            task("b", TaskState.RUNNING, "n", "10.0.1.3/29"));
    assertThat(takeAll(later, "n"))
        .containsExactly("10.0.1.4/29", "10.0.1.5/29", "10.0.1.6/29", "10.0.1.2/29");
  }

  @Test
  void anIpRangeAndAGivenGatewayBoundWhatIsHandedOut() {
    Network n = network("n", "10.0.1.0/24", "10.0.1.130", "10.0.1.128/30");
    // Only .128-.131 are handed out, serially from the gateway (.130), which is never given.
    assertThat(takeAll(book(n), "n"))
        .containsExactly("10.0.1.131/24", "10.0.1.128/24", "10.0.1.129/24");
  }

  @Test
  void givingBackUndoesAnAbandonedDecision() {
    Network n = network("n", "10.0.1.0/24", "10.0.1.1", "");
    AddressBook book = book(n);
    AddressBook.Taken t = book.take("n").orElseThrow();
    book.giveBack(List.of(t));
    assertThat(book.changes()).isEmpty();
    assertThat(book.format(book.take("n").orElseThrow())).isEqualTo("10.0.1.2/24");
  }

  /** The network as the book writes it back. */
  private static Network network(AddressBook book) {
    return (Network) ((Change.Update) book.changes().get(0)).object();
  }
}
