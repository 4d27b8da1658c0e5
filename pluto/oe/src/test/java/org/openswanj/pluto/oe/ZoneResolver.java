package org.openswanj.pluto.oe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Zone;

/**
 * A dnsjava {@link Resolver} that answers from in-memory zones (dnsjava's {@link Zone}, read from zone-file
 * text) the way an authoritative server does: answers, NXDOMAIN / NODATA with the SOA, REFUSED outside its
 * zones. It can also never answer (to test timeouts), or answer only after a delay on the sending thread.
 */
final class ZoneResolver implements Resolver {
  enum Mode { ANSWER, SILENT, BLOCK_SENDER }

  private final List<Zone> zones = new ArrayList<>();
  private final AtomicInteger queries = new AtomicInteger();
  private volatile Mode mode = Mode.ANSWER;
  private Duration timeout = Duration.ofSeconds(5);

  ZoneResolver zone(String origin, String text) {
    try {
      zones.add(new Zone(Name.fromString(origin), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  ZoneResolver mode(Mode m) {
    this.mode = m;
    return this;
  }

  int queries() {
    return queries.get();
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, Runnable::run);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    queries.incrementAndGet();
    if (mode == Mode.SILENT) {
      return new CompletableFuture<>();
    }
    if (mode == Mode.BLOCK_SENDER) {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return CompletableFuture.supplyAsync(() -> answer(query), executor);
  }

  private Message answer(Message query) {
    Record q = query.getQuestion();
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(q, Section.QUESTION);
    Zone z = zones.stream().filter(zz -> q.getName().subdomain(zz.getOrigin())).findFirst().orElse(null);
    if (z == null) {
      m.getHeader().setRcode(Rcode.REFUSED);
      return m;
    }
    SetResponse sr = z.findRecords(q.getName(), q.getType());
    if (sr.isSuccessful()) {
      for (RRset set : sr.answers()) {
        set.rrs(false).forEach(r -> m.addRecord(r, Section.ANSWER));
      }
    } else if (sr.isCNAME()) {
      m.addRecord(sr.getCNAME(), Section.ANSWER);
    } else {
      if (sr.isNXDOMAIN()) {
        m.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      m.addRecord(z.getSOA(), Section.AUTHORITY);
    }
    return m;
  }

  @Override
  public void setPort(int port) {}

  @Override
  public void setTCP(boolean flag) {}

  @Override
  public void setIgnoreTruncation(boolean flag) {}

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

  @Override
  public void setTSIGKey(TSIG key) {}

  @Override
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }
}
