package io.corral.testcluster.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of {@code corral-bench network}, a JVM started inside a task's network namespace
 * ({@code nsenter -t PID -n [-m] -- java -cp corral-bench.jar io.corral.testcluster.bench.NetProbe
 * …}): sequential HTTP/1.0 requests on a new connection each (so every request passes a VIP's DNAT
 * anew), A queries over UDP, and watches for a new backend. It prints one result line per figure
 * ({@code lat NANOS…}, {@code fail N}, {@code seconds S}, {@code responders A,B}, {@code ready},
 * {@code seen ADDRESS INSTANT}, {@code timeout}), which {@link NetworkBench} reads. Its own cost
 * per request is a socket connect, a write and a read, after a warm-up that lets the JIT compile
 * it.
 *
 * <p>Commands: {@code http URL COUNT WARMUP [RESOLVER]} (a host name in URL is resolved with an A
 * query to RESOLVER on every request, part of the timed request), {@code dns RESOLVER NAME COUNT},
 * {@code watch-dns RESOLVER NAME KNOWN TIMEOUT_MS} and {@code watch-http URL KNOWN TIMEOUT_MS}
 * (poll every {@value #WATCH_EVERY_MS} ms until an address not in the comma-separated KNOWN is
 * answered). RESOLVER {@code resolv.conf} is the first nameserver of /etc/resolv.conf.
 */
public final class NetProbe {

  static final int WATCH_EVERY_MS = 2;
  private static final int CONNECT_TIMEOUT_MS = 1000;
  private static final int READ_TIMEOUT_MS = 2000;

  private final PrintStream out;

  private NetProbe(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    NetProbe p = new NetProbe(out);
    switch (args.length == 0 ? "" : args[0]) {
      case "http" ->
          p.http(
              URI.create(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              args.length > 4 ? Optional.of(resolver(args[4])) : Optional.empty());
      case "dns" -> p.dns(resolver(args[1]), args[2], Integer.parseInt(args[3]));
      case "watch-dns" ->
          p.watchDns(resolver(args[1]), args[2], known(args[3]), Long.parseLong(args[4]));
      case "watch-http" ->
          p.watchHttp(URI.create(args[1]), known(args[2]), Long.parseLong(args[3]));
      default -> {
        System.err.println(
            "usage: NetProbe http URL COUNT WARMUP [RESOLVER] | dns RESOLVER NAME COUNT"
                + " | watch-dns RESOLVER NAME KNOWN TIMEOUT_MS | watch-http URL KNOWN TIMEOUT_MS");
        System.exit(2);
      }
    }
  }

  private static Set<String> known(String csv) {
    Set<String> s = new LinkedHashSet<>();
    for (String a : csv.split(",")) {
      if (!a.isBlank()) {
        s.add(a.strip());
      }
    }
    return s;
  }

  static InetAddress resolver(String spec) throws IOException {
    if (!spec.equals("resolv.conf")) {
      return InetAddress.getByName(spec);
    }
    for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2 && f[0].equals("nameserver")) {
        return InetAddress.getByName(f[1]);
      }
    }
    throw new IOException("/etc/resolv.conf names no nameserver");
  }

  private void http(URI url, int count, int warmup, Optional<InetAddress> resolver)
      throws IOException {
    try (DatagramSocket udp = new DatagramSocket()) {
      udp.setSoTimeout(READ_TIMEOUT_MS);
      for (int i = 0; i < warmup; i++) {
        get(url, resolver, udp);
      }
      List<Long> lat = new ArrayList<>();
      Set<String> responders = new LinkedHashSet<>();
      int failed = 0;
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        Optional<String> body = get(url, resolver, udp);
        long t1 = System.nanoTime();
        if (body.isPresent()) {
          lat.add(t1 - t0);
          responders.add(body.get());
        } else {
          failed++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      print(lat);
      out.println("fail " + failed);
      out.println("seconds " + seconds);
      out.println("responders " + String.join(",", responders));
    }
  }

  /** One request; the body (the responder's address) or empty when it failed. */
  private Optional<String> get(URI url, Optional<InetAddress> resolver, DatagramSocket udp) {
    try {
      InetAddress host;
      if (resolver.isPresent()) {
        List<String> a = lookup(udp, resolver.get(), url.getHost()).addresses();
        if (a.isEmpty()) {
          return Optional.empty();
        }
        host = InetAddress.getByName(a.get(0));
      } else {
        host = InetAddress.getByName(url.getHost()); // an address: no lookup
      }
      int port = url.getPort() < 0 ? 80 : url.getPort();
      try (Socket s = new Socket()) {
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        s.setSoTimeout(READ_TIMEOUT_MS);
        OutputStream o = s.getOutputStream();
        o.write(
            ("GET / HTTP/1.0\r\nHost: " + url.getHost() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        o.flush();
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        int body = response.indexOf("\r\n\r\n");
        if (!response.startsWith("HTTP/1.") || !response.contains(" 200 ") || body < 0) {
          return Optional.empty();
        }
        return Optional.of(response.substring(body + 4).strip());
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static DnsWire.Answer lookup(DatagramSocket udp, InetAddress server, String name)
      throws IOException {
    int id = ThreadLocalRandom.current().nextInt(0x10000);
    byte[] q = DnsWire.queryA(id, name);
    udp.send(new DatagramPacket(q, q.length, server, 53));
    byte[] buf = new byte[1500];
    while (true) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      udp.receive(p);
      DnsWire.Answer a = DnsWire.parse(buf, p.getLength());
      if (a.id() == id) {
        return a;
      }
      // a late answer to an earlier query that timed out: wait for ours
    }
  }

  private void dns(InetAddress server, String name, int count) throws IOException {
    try (DatagramSocket udp = new DatagramSocket()) {
      udp.setSoTimeout(READ_TIMEOUT_MS);
      for (int i = 0; i < Math.min(200, count); i++) {
        tryLookup(udp, server, name);
      }
      List<Long> lat = new ArrayList<>();
      int failed = 0;
      Set<String> seen = new LinkedHashSet<>();
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        Optional<DnsWire.Answer> a = tryLookup(udp, server, name);
        long t1 = System.nanoTime();
        if (a.isPresent() && a.get().rcode() == DnsWire.NOERROR && !a.get().addresses().isEmpty()) {
          lat.add(t1 - t0);
          seen.addAll(a.get().addresses());
        } else {
          failed++;
        }
      }
      print(lat);
      out.println("fail " + failed);
      out.println("responders " + String.join(",", seen));
    }
  }

  private static Optional<DnsWire.Answer> tryLookup(
      DatagramSocket udp, InetAddress server, String name) {
    try {
      return Optional.of(lookup(udp, server, name));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void watchDns(InetAddress server, String name, Set<String> known, long timeoutMs)
      throws IOException, InterruptedException {
    try (DatagramSocket udp = new DatagramSocket()) {
      udp.setSoTimeout(READ_TIMEOUT_MS);
      tryLookup(udp, server, name);
      out.println("ready");
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      while (System.nanoTime() < deadline) {
        Optional<DnsWire.Answer> a = tryLookup(udp, server, name);
        Instant at = Instant.now();
        if (a.isPresent()) {
          for (String addr : a.get().addresses()) {
            if (!known.contains(addr)) {
              out.println("seen " + addr + " " + at);
              return;
            }
          }
        }
        Thread.sleep(WATCH_EVERY_MS);
      }
      out.println("timeout");
    }
  }

  private void watchHttp(URI url, Set<String> known, long timeoutMs) throws InterruptedException {
    get(url, Optional.empty(), null);
    out.println("ready");
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() < deadline) {
      Optional<String> body = get(url, Optional.empty(), null);
      Instant at = Instant.now();
      if (body.isPresent() && !known.contains(body.get())) {
        out.println("seen " + body.get() + " " + at);
        return;
      }
      Thread.sleep(WATCH_EVERY_MS);
    }
    out.println("timeout");
  }

  private void print(List<Long> lat) {
    StringBuilder b = new StringBuilder("lat");
    lat.forEach(n -> b.append(' ').append(n));
    out.println(b);
  }
}
