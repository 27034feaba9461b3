package voicecall.app.telephony.ari;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A stand-in for Asterisk's ARI over real sockets (Reactor Netty, which WebFlux runs on): the event
 * WebSocket plays events the test pushes (from the recorded sequence in {@code
 * ari/call-sequence.jsonl}), and every REST request is recorded and answered with success.
 */
final class FakeAri implements AutoCloseable {

  final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger rejected = new AtomicInteger();
  private final AtomicReference<Sinks.@Nullable Many<String>> events = new AtomicReference<>();
  private final DisposableServer server;
  private final String expectedAuth;
  private final List<String> recorded;

  FakeAri(String user, String password) {
    expectedAuth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    recorded = load();
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes
                        .get(
                            "/ari/events",
                            (req, res) -> {
                              if (!expectedAuth.equals(req.requestHeaders().get("Authorization"))
                                  || !req.uri().contains("app=voiceengine")) {
                                rejected.incrementAndGet();
                                return res.status(401).send();
                              }
                              return res.sendWebsocket(
                                  (in, out) -> {
                                    Sinks.Many<String> sink =
                                        Sinks.many().unicast().onBackpressureBuffer();
                                    events.set(sink);
                                    connections.incrementAndGet();
                                    return out.sendString(sink.asFlux());
                                  });
                            })
                        .route(
                            req -> req.uri().startsWith("/ari/"),
                            (req, res) -> {
                              if (!expectedAuth.equals(req.requestHeaders().get("Authorization"))) {
                                rejected.incrementAndGet();
                                return res.status(401).send();
                              }
                              requests.add(req.method().name() + " " + req.uri());
                              return res.header("Content-Type", "application/json")
                                  .sendString(Mono.just("{}"));
                            }))
            .bindNow(Duration.ofSeconds(10));
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** One recorded event, 0-based, with its placeholders filled in. */
  String event(int index, Map<String, String> values) {
    String e = recorded.get(index);
    for (Map.Entry<String, String> v : values.entrySet()) {
      e = e.replace("${" + v.getKey() + "}", v.getValue());
    }
    return e;
  }

  void push(String json) {
    Sinks.Many<String> sink = Objects.requireNonNull(events.get(), "no event socket connected");
    sink.emitNext(json, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
  }

  /** Closes the event socket, as an Asterisk restart would. */
  void dropEventSocket() {
    Sinks.Many<String> sink = events.getAndSet(null);
    if (sink != null) {
      sink.tryEmitComplete();
    }
  }

  private static List<String> load() {
    try (InputStream in = FakeAri.class.getResourceAsStream("/ari/call-sequence.jsonl")) {
      return new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
  }
}
