package io.corral.worker.dns;

import io.corral.api.EndpointSpec.ResolutionMode;
import io.corral.api.ServiceEndpoints;
import io.corral.api.TaskEndpoint;
import io.corral.worker.network.EndpointTable;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * Loopback micro-benchmark of the DNS server: queries/s and p50/p99 latency for A queries answered
 * from the table, at 1 and 32 queries in flight. {@code java ... DnsBench [queries]}.
 */
public final class DnsBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    InetAddress gateway = InetAddress.getByName("127.0.0.1");
    InetAddress task = InetAddress.getByName("127.0.0.5");
    List<TaskEndpoint> backends =
        IntStream.range(0, 10)
            .mapToObj(
                i ->
                    TaskEndpoint.newBuilder()
                        .setName("api." + i + ".t" + i)
                        .setAddress("10.0.1." + (10 + i) + "/24")
                        .build())
            .toList();
    TaskEndpoint me =
        TaskEndpoint.newBuilder().setName("cli.1.c").setAddress("127.0.0.5/8").build();
    List<ServiceEndpoints> entries = new ArrayList<>();
    entries.add(
        ServiceEndpoints.newBuilder()
            .setServiceId("api")
            .setServiceName("api")
            .setNetworkId("n1")
            .setMode(ResolutionMode.VIP)
            .setVirtualIp("10.0.1.2/24")
            .addAllTasks(backends)
            .addAllAttached(backends)
            .build());
    entries.add(
        ServiceEndpoints.newBuilder()
            .setServiceId("cli")
            .setServiceName("cli")
            .setNetworkId("n1")
            .addAttached(me)
            .build());
    EndpointTable table = new EndpointTable();
    table.replaceAll(entries);
    int port = DnsServerTest.freePort(gateway);
    InetSocketAddress server = new InetSocketAddress(gateway, port);
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    try (DnsServer dns = new DnsServer(table, List.of(), port, Duration.ofSeconds(1))) {
      dns.listen(gateway);
      for (String name : List.of("api", "tasks.api")) {
        for (int inFlight : new int[] {1, 32}) {
          run(group, server, task, name, n / 5, inFlight); // warm-up
          run(group, server, task, name, n, inFlight);
        }
      }
    } finally {
      group.shutdownGracefully().sync();
    }
  }

  private static void run(
      NioEventLoopGroup group,
      InetSocketAddress server,
      InetAddress from,
      String name,
      int n,
      int inFlight)
      throws Exception {
    AtomicLongArray sent = new AtomicLongArray(65536);
    long[] latency = new long[n];
    int[] done = {0};
    Semaphore window = new Semaphore(inFlight);
    Semaphore finished = new Semaphore(0);
    Channel ch =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel c) {
                    c.pipeline()
                        .addLast(
                            new DatagramDnsQueryEncoder(),
                            new DatagramDnsResponseDecoder(),
                            new SimpleChannelInboundHandler<DnsResponse>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, DnsResponse r) {
                                long t = System.nanoTime() - sent.get(r.id());
                                if (r.count(DnsSection.ANSWER) == 0) {
                                  throw new IllegalStateException("no answer: " + r);
                                }
                                latency[done[0]++] = t;
                                window.release();
                                if (done[0] == n) {
                                  finished.release();
                                }
                              }
                            });
                  }
                })
            .bind(new InetSocketAddress(from, 0))
            .sync()
            .channel();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      window.acquire();
      int id = i & 0xffff;
      DatagramDnsQuery q = new DatagramDnsQuery(null, server, id);
      q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.A));
      sent.set(id, System.nanoTime());
      ch.writeAndFlush(q);
    }
    finished.acquire();
    long elapsed = System.nanoTime() - start;
    ch.close().sync();
    Arrays.sort(latency);
    System.out.printf(
        "%-10s in-flight %2d: %7.0f queries/s  p50 %6.1f us  p99 %6.1f us%n",
        name, inFlight, n / (elapsed / 1e9), latency[n / 2] / 1e3, latency[(int) (n * 0.99)] / 1e3);
  }
}
