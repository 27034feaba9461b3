package voicecall.app.telephony.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallAnswering;
import voicecall.app.telephony.Goertzel;
import voicecall.app.telephony.GreetingChime;
import voicecall.app.telephony.TelephonyStack;
import voicecall.app.telephony.ToneGreeting;
import voicecall.app.telephony.Transfers;
import voicecall.app.telephony.audiosocket.AudioSocketMessage;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;

/** The ARI flow against a fake ARI server playing a recorded event sequence over real sockets. */
class AriClientIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CALLER = "1700000000.7";

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private TelephonyStack stack = new TelephonyStack(new ToneGreeting());
  private final FakeAri ari = new FakeAri("voicecall", "s3cret");
  private AriClient client = client();

  private AriClient client() {
    return client(stack.transfers);
  }

  private AriClient client(Transfers transfers) {
    AriClient c =
        new AriClient(
            new VoiceCallProperties.Ari(
                URI.create(ari.url()),
                "voicecall",
                "s3cret",
                "voiceengine",
                "127.0.0.1:" + stack.audioSocketAddress().getPort(),
                Duration.ofMillis(100),
                Duration.ofSeconds(1)),
            stack.registry,
            transfers,
            JsonMapper.builder().build(),
            HttpClient.create());
    c.start();
    await().atMost(WAIT).until(() -> ari.connections.get() >= 1);
    return c;
  }

  @AfterEach
  void stop() {
    client.stop();
    ari.close();
    stack.close();
  }

  /** What Asterisk does after externalMedia: connect the AudioSocket leg, media enters Stasis. */
  private record Media(String id, String channel, AudioSocketCaller socket) {}

  private Media startCall(String language) {
    ari.push(ari.event(0, Map.of("caller", CALLER, "language", language)));
    await().atMost(WAIT).until(() -> request("POST /ari/channels/externalMedia") != null);
    String created = Objects.requireNonNull(request("POST /ari/channels/externalMedia"));
    Map<String, String> q =
        UriComponentsBuilder.fromUriString(created.substring(5))
            .build()
            .getQueryParams()
            .toSingleValueMap()
            .entrySet()
            .stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey,
                    e -> URLDecoder.decode(e.getValue(), StandardCharsets.UTF_8)));
    assertThat(q)
        .containsEntry("app", "voiceengine")
        .containsEntry("encapsulation", "audiosocket")
        .containsEntry("transport", "tcp")
        .containsEntry("format", "slin");
    String id = Objects.requireNonNull(q.get("data"));
    String host = Objects.requireNonNull(q.get("external_host"));
    assertThat(host).isEqualTo("127.0.0.1:" + stack.audioSocketAddress().getPort());
    String[] hp = host.split(":");
    AudioSocketCaller socket =
        Objects.requireNonNull(
            AudioSocketCaller.dial(
                    new InetSocketAddress(hp[0], Integer.parseInt(hp[1])),
                    UUID.fromString(id),
                    Pcm.silence(8000, 20),
                    true,
                    stack.callers)
                .block(WAIT));
    String media = Objects.requireNonNull(q.get("channelId"));
    ari.push(ari.event(1, Map.of("media", media)));
    await()
        .atMost(WAIT)
        .until(
            () ->
                ari.requests.contains(
                    "POST /ari/bridges/" + id + "/addChannel?channel=" + CALLER + "," + media));
    assertThat(ari.requests)
        .startsWith(
            "POST /ari/channels/" + CALLER + "/answer",
            "POST /ari/bridges?type=mixing&bridgeId=" + id);
    return new Media(id, media, socket);
  }

  private @Nullable String request(String prefix) {
    return ari.requests.stream().filter(r -> r.startsWith(prefix)).findFirst().orElse(null);
  }

  @Test
  void aStasisCallGetsMediaBridgedDtmfForwardedAndCleanedUpOnHangUp() {
    Media m = startCall("ko");
    await().atMost(WAIT).until(() -> m.socket().audio().size() >= 50);
    GreetingChime.start(m.socket().audio(), stack.meters);
    assertThat(stack.registry.find(m.id()))
        .hasValueSatisfying(call -> assertThat(call.language()).isEqualTo("ko"));

    int before = m.socket().audio().size();
    ari.push(ari.event(2, Map.of("caller", CALLER, "language", "ko")));
    await().atMost(WAIT).until(() -> m.socket().audio().size() >= before + 12);
    byte[] echo = audible(m.socket());
    assertThat(Goertzel.power(echo, 8000, 852)).isGreaterThan(Goertzel.power(echo, 8000, 770) * 20);
    assertThat(Goertzel.power(echo, 8000, 1209))
        .isGreaterThan(Goertzel.power(echo, 8000, 1336) * 20);

    ari.push(ari.event(3, Map.of("caller", CALLER, "language", "ko")));
    ari.push(ari.event(4, Map.of("caller", CALLER, "language", "ko")));
    await()
        .atMost(WAIT)
        .until(
            () ->
                ari.requests.contains("DELETE /ari/channels/" + m.channel())
                    && ari.requests.contains("DELETE /ari/bridges/" + m.id()));
    m.socket().closed().block(WAIT);
    await().atMost(WAIT).until(() -> stack.registry.size() == 0);
    assertThat(stack.registry.expectedCount()).isZero();
    assertThat(ari.requests).doesNotContain("DELETE /ari/channels/" + CALLER);
    assertThat(ari.rejected.get()).isZero();
  }

  @Test
  void whenTheEngineEndsTheMediaLegTheCallerIsHungUp() {
    client.stop();
    stack.close();
    CallAnswering goodbye =
        call -> call.play(new short[1600]).then(Mono.fromRunnable(call::hangUp));
    stack = new TelephonyStack(goodbye);
    client = client();
    Media m = startCall("en");
    m.socket().closed().block(WAIT);
    assertThat(m.socket().hangupReceived()).isTrue();
    // Asterisk: the media channel hung up and leaves Stasis
    ari.push(ari.event(5, Map.of("media", m.channel())));
    await().atMost(WAIT).until(() -> ari.requests.contains("DELETE /ari/channels/" + CALLER));
  }

  @Test
  void aTransferredCallerIsHandedBackToTheDialplanNotHungUp() {
    Media m = startCall("en");
    client.transfer(m.id(), "voicecall-agents", "agent", 1).block(WAIT);
    assertThat(ari.requests)
        .contains(
            "POST /ari/channels/"
                + CALLER
                + "/continue?context=voicecall-agents&extension=agent&priority=1",
            "DELETE /ari/channels/" + m.channel());
    ari.push(ari.event(5, Map.of("media", m.channel())));
    await().atMost(WAIT).until(() -> ari.requests.contains("DELETE /ari/bridges/" + m.id()));
    assertThat(ari.requests).doesNotContain("DELETE /ari/channels/" + CALLER);
    m.socket().hangUp().block(WAIT);
  }

  @Test
  void theEventSocketReconnectsAfterAsteriskGoesAwayAndUnreadableEventsAreSkipped() {
    ari.dropEventSocket();
    await().atMost(WAIT).until(() -> ari.connections.get() >= 2);
    assertThat(client.connectionCount()).isGreaterThanOrEqualTo(2);
    ari.push("this is not json");
    ari.push("{\"no\":\"type\"}");
    Media m = startCall("en");
    await().atMost(WAIT).until(() -> !m.socket().audio().isEmpty());
    m.socket().hangUp().block(WAIT);
  }

  /** Restarts stack and client so that every call asks for a person after a short reply. */
  private void engineTransfers(Transfers transfers) {
    client.stop();
    stack.close();
    stack = new TelephonyStack(TelephonyStack.asksForAPerson("can I speak to a person?", null));
    client = client(transfers);
  }

  @Test
  void whenTheEngineAsksForAPersonTheCallerGetsTheVariablesAndContinuesAfterTheMediaIsGone() {
    engineTransfers(TelephonyStack.transferConfig(true));
    Media m = startCall("en");
    m.socket().closed().block(WAIT);
    assertThat(m.socket().hangupReceived()).isTrue();
    int before = ari.requests.size();
    // Asterisk: the media channel hung up and leaves Stasis
    ari.push(ari.event(5, Map.of("media", m.channel())));
    String cont =
        "POST /ari/channels/"
            + CALLER
            + "/continue?context=voicecall-agents&extension=agent&priority=1";
    await().atMost(WAIT).until(() -> ari.requests.contains(cont));
    List<String> after = decoded(ari.requests.subList(before, ari.requests.size()));
    String vars = "POST /ari/channels/" + CALLER + "/variable?variable=";
    assertThat(after)
        .containsExactlyInAnyOrder(
            "DELETE /ari/channels/" + m.channel(),
            "DELETE /ari/bridges/" + m.id(),
            vars + "VOICECALL_QUESTION&value=can I speak to a person?",
            vars + "VOICECALL_ENTRY_ID&value=",
            vars + "VOICECALL_CALL_ID&value=" + m.id(),
            cont);
    // media and bridge are gone before the variables, the variables are set before continue
    assertThat(after.subList(2, 6))
        .containsExactly(
            vars + "VOICECALL_QUESTION&value=can I speak to a person?",
            vars + "VOICECALL_ENTRY_ID&value=",
            vars + "VOICECALL_CALL_ID&value=" + m.id(),
            cont);
    assertThat(ari.requests).doesNotContain("DELETE /ari/channels/" + CALLER);
    assertThat(transfers("done")).isEqualTo(1);
    assertThat(stack.registry.expectedCount()).isZero();
  }

  @Test
  void aRefusedDestinationHangsTheCallerUpWithoutVariablesOrContinue() {
    engineTransfers(TelephonyStack.transferConfig(false));
    Media m = startCall("en");
    m.socket().closed().block(WAIT);
    ari.push(ari.event(5, Map.of("media", m.channel())));
    await().atMost(WAIT).until(() -> ari.requests.contains("DELETE /ari/channels/" + CALLER));
    assertThat(ari.requests).noneMatch(r -> r.contains("/variable?") || r.contains("/continue?"));
    assertThat(transfers("refused")).isEqualTo(1);
    assertThatThrownBy(() -> client.transfer(m.id(), "somewhere", "agent", 1).block(WAIT))
        .hasMessageContaining("refused");
  }

  private void engineTransfers(VoiceCallProperties.Transfer config) {
    engineTransfers(new Transfers(config, meters));
  }

  private double transfers(String result) {
    Counter c =
        meters.find("voicecall.transfers").tags("adapter", "ari", "result", result).counter();
    return c == null ? 0 : c.count();
  }

  private static List<String> decoded(List<String> requests) {
    return requests.stream().map(r -> URLDecoder.decode(r, StandardCharsets.UTF_8)).toList();
  }

  private static byte[] audible(AudioSocketCaller socket) {
    return socket.audio().stream()
        .skip(31)
        .filter(ReceivedMessage::isAudible)
        .map(r -> ((AudioSocketMessage.Audio) r.message()).pcm())
        .collect(
            Collectors.reducing(
                new byte[0],
                (a, b) -> {
                  byte[] out = Arrays.copyOf(a, a.length + b.length);
                  System.arraycopy(b, 0, out, a.length, b.length);
                  return out;
                }));
  }
}
