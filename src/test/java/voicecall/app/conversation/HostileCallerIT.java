package voicecall.app.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.app.SpeechTools;
import voicecall.app.TestDatabases;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallRegistry;
import voicecall.app.telephony.audiosocket.AudioSocketMessage;
import voicecall.app.telephony.audiosocket.AudioSocketServer;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;
import voicecall.engine.call.Call;
import voicecall.tts.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;

/**
 * Hostile callers and one good caller on the real application at the same time, over real
 * AudioSocket connections with real speech: a monologue longer than the segmenter's maximum
 * utterance, speech amplified into hard clipping, two 30 s DTMF storms (one with {@code 0}, one
 * without), audio frames at another rate than the call's, an odd-length frame, and a first frame at
 * a rate AudioSocket calls do not run at. None of them crashes anything, the outbound queue of
 * every call stays within its bound, each hostile call is answered, re-prompted, transferred or
 * closed with a logged reason, and the good caller hears its answer sample for sample. Needs flite
 * and PocketSphinx (skipped without them locally, a failure under {@code CI=true}).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "voicecall.dialogue.silence-timeout=4s",
      // a caller that sends no audio must not be given the default rate before its first frame
      "voicecall.audiosocket.rate-detection=3s"
    })
@ExtendWith(OutputCaptureExtension.class)
class HostileCallerIT {

  private static final Path DATA_DIR = tempDir();
  private static final int RATE = 8000;
  private static final int FRAME = RATE / 50;
  private static final int DROPS_ALLOWED = 2;
  private static final Duration STORM = Duration.ofSeconds(30);
  private static final int MONOLOGUE_SECONDS = 22;
  private static final String QUESTION = "How much data do I have left?";
  private static final String ENTRY = "en-data-balance";
  private static final String ANSWER =
      "Your remaining data is shown on the home screen of the app, or text DATA to 1234 and we"
          + " reply with your balance.";
  private static final List<String> MONOLOGUE =
      List.of(
          "I have been a customer for many years and my bill keeps going up every single month",
          "and nobody ever explains the roaming charges or the data plan to me properly",
          "so I would like somebody to look at my account and tell me what is going on");

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("voicecall.data-dir", DATA_DIR::toString);
  }

  @Autowired AudioSocketServer audioSocket;
  @Autowired CallRegistry registry;
  @Autowired ConversationAnswering answering;
  @Autowired OrderedSynthesis synthesis;
  @Autowired MeterRegistry meters;
  @Autowired VoiceCallProperties properties;
  @LocalServerPort int port;

  @Test
  void hostileCallersAreContainedAndAGoodCallerIsStillAnswered(CapturedOutput output) {
    SpeechTools.assume(false);
    await().atMost(Duration.ofSeconds(90)).until(answering::ready);
    VoiceCallProperties.PromptSet en = properties.tts().prompts().en();
    List<short[]> greeting = rendered(en.greeting());
    List<short[]> transferPrompt = rendered(en.transfer());
    List<short[]> expectedAnswer = rendered(ANSWER + " " + en.anythingElse());
    // every caller that speaks starts after the greeting, so no barge-in decides the outcome
    int leadMillis = greeting.size() * 20 + 1000;
    PcmAudio question = flite(QUESTION);
    PcmAudio monologue = monologue();
    assertThat(longestPauseMillis(monologue))
        .as("the monologue has no pause the segmenter could end an utterance on")
        .isLessThan(250);
    double protocolErrorsBefore = meters.counter("voicecall.telephony.protocol.errors").count();
    Scheduler storms = Schedulers.newParallel("dtmf-storm", 2, true);
    QueueWatch queues = new QueueWatch();
    try {
      long start = System.nanoTime();
      AudioSocketCaller good = dial(script(leadMillis, question.samples(), 25_000));
      AudioSocketCaller talker = dial(script(leadMillis, monologue.samples(), 30_000));
      AudioSocketCaller clipped = dial(script(leadMillis, clip(question, 12).samples(), 25_000));
      AudioSocketCaller stormNoZero = dial(new short[RATE]);
      AudioSocketCaller stormWithZero = dial(new short[RATE]);
      AudioSocketCaller wrongRate = dial(new short[RATE]);
      AudioSocketCaller unsupportedRate = dialWithoutAudio();
      List<AudioSocketCaller> all =
          List.of(good, talker, clipped, stormNoZero, stormWithZero, wrongRate, unsupportedRate);
      queues.watch(all);

      // (d) a first frame at 24 kHz: closed at once with a reason naming the rate
      unsupportedRate.sendRaw(frame(0x13, 960));
      // (d) an 8 kHz call sent 16 kHz frames: dropped with one warning, the call goes on
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(id(wrongRate)).isPresent());
      for (int i = 0; i < 25; i++) {
        wrongRate.sendRaw(frame(0x12, 640));
      }
      // (c) storms: random keys every 40-60 ms for 30 s, one of them with 0 (the transfer key)
      AtomicInteger pressedNoZero = new AtomicInteger();
      AtomicBoolean upAfterStorm = new AtomicBoolean();
      Disposable storm1 = storm(stormNoZero, "123456789*#", 7, storms, pressedNoZero, upAfterStorm);
      Disposable storm2 =
          storm(
              stormWithZero, "0123456789*#", 11, storms, new AtomicInteger(), new AtomicBoolean());

      unsupportedRate.closed().block(Duration.ofSeconds(10));
      assertThat(output.getOut())
          .contains("callId=" + id(unsupportedRate))
          .contains("audio at 24000 Hz is not supported");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> output.getOut().contains("dropping audio at 16000 Hz on a 8000 Hz call"));
      assertThat(registry.find(id(wrongRate)))
          .as("the 8 kHz call survives 16 kHz frames")
          .isPresent();
      // (d) an odd-length audio payload breaks the protocol: that connection closes with a reason
      wrongRate.sendRaw(frame(0x10, 321));
      wrongRate.closed().block(Duration.ofSeconds(10));
      // the caller may see the close a moment before the server's event loop has ended the call
      await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(id(wrongRate)).isEmpty());
      assertThat(meters.counter("voicecall.telephony.protocol.errors").count())
          .isEqualTo(protocolErrorsBefore + 2);

      // the good caller hears its answer, frame for frame, while all of this goes on
      long questionEnd =
          start + TimeUnit.MILLISECONDS.toNanos(leadMillis) + question.duration().toNanos();
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> find(good.audio(), expectedAnswer, questionEnd, 50) >= 0);
      assertThat(good.isConnected()).isTrue();
      good.hangUp().block(Duration.ofSeconds(10));

      // (b) clipped speech is taken as a turn and replied to
      await().atMost(Duration.ofSeconds(40)).until(() -> audibleAfter(clipped, questionEnd) >= 50);
      assertThat(clipped.isConnected()).isTrue();
      clipped.hangUp().block(Duration.ofSeconds(10));

      // (a) the monologue is cut at the maximum utterance and replied to while it goes on
      String cut = "call " + id(talker) + ": utterance cut at the maximum length (";
      await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().contains(cut));
      String out = output.getOut();
      int at = out.indexOf(cut) + cut.length();
      assertThat(Integer.parseInt(out.substring(at, out.indexOf(' ', at))))
          .as("speech in the cut piece, ms (maximum utterance 15 s, 32 ms windows)")
          .isBetween(15_000, 15_032);
      long monologueEnd =
          start + TimeUnit.MILLISECONDS.toNanos(leadMillis) + monologue.duration().toNanos();
      await().atMost(Duration.ofSeconds(40)).until(() -> audibleAfter(talker, monologueEnd) >= 50);
      // what the monologue says is not understood: re-prompted, then transferred after the second
      // miss; if recognition happened to find an answer, the call is still up
      if (talker.isConnected()) {
        talker.hangUp().block(Duration.ofSeconds(10));
      }

      // (c) with 0 in the storm: the transfer prompt plays whole although keys keep coming,
      // then the engine hands the call over and hangs up
      stormWithZero.closed().block(Duration.ofSeconds(40));
      storm2.dispose();
      assertThat(stormWithZero.hangupReceived()).isTrue();
      assertThat(find(stormWithZero.audio(), transferPrompt, start, transferPrompt.size()))
          .as("the whole transfer prompt")
          .isNotNegative();
      assertThat(output.getOut()).contains("call " + id(stormWithZero) + ": transfer requested");

      // (c) without 0: 30 s of keys, then silence: re-prompted, told goodbye and hung up on
      stormNoZero.closed().block(STORM.plus(Duration.ofSeconds(40)));
      storm1.dispose();
      assertThat(stormNoZero.hangupReceived()).isTrue();
      // the call stayed up through the whole storm: 30 s at one key per 40-60 ms
      assertThat(upAfterStorm).as("connected when the 30 s storm ended").isTrue();
      assertThat(pressedNoZero.get()).isGreaterThan(300);
      assertThat(output.getOut()).contains("call " + id(stormNoZero) + ": goodbye (TIMED_OUT)");

      await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0);
      queues.stop();
      assertThat(queues.samples.get()).isGreaterThan(1000);
      assertThat(queues.max)
          .as("queued outbound frames per call, at most")
          .allSatisfy((call, max) -> assertThat(max).isBetween(0, Call.DEFAULT_OUTBOUND_FRAMES));
      assertThat(queues.max.get(id(stormNoZero))).isPositive();

      assertThat(output.getOut())
          .doesNotContain("conversation failed")
          .doesNotContain("a turn failed")
          .doesNotContain("call failed; ending it")
          .doesNotContain("failed while sending audio");
      // the records: the good caller answered, the monologue gave at least two turns, the clipped
      // question one, the odd frame ended its call as a protocol error
      assertRecord(id(good), "CALLER", "answered", 1);
      assertThat(turnEntries(id(good))).contains(ENTRY);
      assertRecord(id(talker), null, null, 2);
      assertThat(hangupCause(id(talker))).isIn("CALLER", "TRANSFER");
      assertRecord(id(stormNoZero), "ENGINE", null, 0);
      assertRecord(id(clipped), "CALLER", null, 1);
      assertRecord(id(stormWithZero), "TRANSFER", "transferred", 1);
      assertRecord(id(wrongRate), "PROTOCOL_ERROR", "error", 0);
    } finally {
      queues.stop();
      storms.dispose();
    }
  }

  /** Polls every live call's outbound queue and keeps the largest value seen per call. */
  private final class QueueWatch {
    final Map<String, Integer> max = new ConcurrentHashMap<>();
    final AtomicInteger samples = new AtomicInteger();
    private Disposable polling = () -> {};

    void watch(List<AudioSocketCaller> callers) {
      polling =
          Flux.interval(Duration.ofMillis(10))
              .subscribe(
                  t -> {
                    for (AudioSocketCaller c : callers) {
                      registry
                          .find(id(c))
                          .ifPresent(
                              call -> max.merge(call.id(), call.queuedOutboundFrames(), Math::max));
                    }
                    samples.incrementAndGet();
                  });
    }

    void stop() {
      polling.dispose();
    }
  }

  /**
   * Presses random keys from {@code keys} every 40-60 ms until {@link #STORM} has passed or the
   * connection is closed; counts the presses and notes whether the caller was still connected when
   * it stopped.
   */
  private static Disposable storm(
      AudioSocketCaller caller,
      String keys,
      long seed,
      Scheduler scheduler,
      AtomicInteger presses,
      AtomicBoolean upWhenItStopped) {
    Random random = new Random(seed);
    long end = System.nanoTime() + STORM.toNanos();
    return Mono.defer(() -> Mono.delay(Duration.ofMillis(40 + random.nextInt(21)), scheduler))
        .doOnNext(
            x -> {
              caller.pressKey(keys.charAt(random.nextInt(keys.length())));
              presses.incrementAndGet();
            })
        // the engine may hang up between the check and the key: that ends the storm too
        .onErrorComplete(IllegalStateException.class)
        .repeat(() -> System.nanoTime() < end && caller.isConnected())
        .doOnComplete(() -> upWhenItStopped.set(caller.isConnected()))
        .subscribe();
  }

  private void assertRecord(
      String id, @Nullable String hangupCause, @Nullable String outcome, int minTurns) {
    Map<String, Object> record = record(id);
    Map<?, ?> call = (Map<?, ?>) Objects.requireNonNull(record.get("call"));
    if (hangupCause != null) {
      assertThat(call.get("hangupCause")).as("hang-up cause of %s", id).isEqualTo(hangupCause);
    }
    if (outcome != null) {
      assertThat(call.get("outcome")).as("outcome of %s", id).isEqualTo(outcome);
    }
    assertThat((List<?>) record.get("turns"))
        .as("turns of %s", id)
        .hasSizeGreaterThanOrEqualTo(minTurns);
  }

  private @Nullable Object hangupCause(String id) {
    return ((Map<?, ?>) Objects.requireNonNull(record(id).get("call"))).get("hangupCause");
  }

  private List<Object> turnEntries(String id) {
    List<Object> out = new ArrayList<>();
    for (Object t : (List<?>) Objects.requireNonNull(record(id).get("turns"))) {
      out.add(((Map<?, ?>) t).get("entryId"));
    }
    return out;
  }

  private Map<String, Object> record(String id) {
    AtomicReference<@Nullable Map<String, Object>> body = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                body.set(
                    TestDatabases.http(port)
                        .get()
                        .uri("/api/v1/calls/{id}", id)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
                        .returnResult()
                        .getResponseBody()));
    return Objects.requireNonNull(body.get());
  }

  private AudioSocketCaller dial(short[] script) {
    return Objects.requireNonNull(
        AudioSocketCaller.dial(
                audioSocket.address(),
                CallRegistry.newCallId(),
                new Pcm(RATE, script),
                true,
                Schedulers.parallel())
            .block(Duration.ofSeconds(10)));
  }

  private AudioSocketCaller dialWithoutAudio() {
    return Objects.requireNonNull(
        AudioSocketCaller.dial(
                audioSocket.address(),
                CallRegistry.newCallId(),
                new Pcm(RATE, new short[0]),
                false,
                Schedulers.parallel())
            .block(Duration.ofSeconds(10)));
  }

  private static String id(AudioSocketCaller c) {
    return c.id().toString();
  }

  /** Silence, the audio at {@code leadMillis}, silence up to {@code totalMillis}. */
  private static short[] script(int leadMillis, short[] audio, int totalMillis) {
    int at = RATE / 1000 * leadMillis;
    short[] s = new short[Math.max(RATE / 1000 * totalMillis, at + audio.length + RATE)];
    System.arraycopy(audio, 0, s, at, audio.length);
    return s;
  }

  /** One AudioSocket frame: kind, big-endian length, then {@code length} bytes of a tone. */
  private static byte[] frame(int kind, int length) {
    ByteBuffer b = ByteBuffer.allocate(3 + length);
    b.put((byte) kind).putShort((short) length);
    for (int i = 0; i < length; i++) {
      b.put((byte) (i % 2 == 0 ? 0 : 40 * Math.sin(i / 5.0)));
    }
    return b.array();
  }

  /** Speech amplified by {@code gain} and cut at full scale, as an overdriven line sounds. */
  private static PcmAudio clip(PcmAudio speech, int gain) {
    short[] in = speech.samples();
    short[] out = new short[in.length];
    int clippedSamples = 0;
    for (int i = 0; i < in.length; i++) {
      int v = in[i] * gain;
      if (v > Short.MAX_VALUE || v < Short.MIN_VALUE) {
        clippedSamples++;
      }
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
    assertThat(clippedSamples).as("hard clipping").isGreaterThan(in.length / 10);
    return PcmAudio.of(out, speech.sampleRate());
  }

  /** Flite sentences back to back, looped past the maximum utterance length (15 s). */
  private static PcmAudio monologue() {
    List<PcmAudio> parts = new ArrayList<>();
    for (String s : MONOLOGUE) {
      parts.add(flite(s));
    }
    PcmAudio all = PcmAudio.of(new short[0], RATE);
    for (int i = 0; all.duration().getSeconds() < MONOLOGUE_SECONDS; i++) {
      all = all.append(parts.get(i % parts.size()));
    }
    return all;
  }

  /** The longest run of 10 ms windows below -40 dBFS inside the audio. */
  private static int longestPauseMillis(PcmAudio audio) {
    int longest = 0;
    int run = 0;
    for (PcmAudio w : audio.frames(Duration.ofMillis(10))) {
      run = w.rmsDbfs() < -40 ? run + 10 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  private static long audibleAfter(AudioSocketCaller c, long nanos) {
    return c.audio().stream().filter(m -> m.atNanos() > nanos && m.isAudible()).count();
  }

  /** The frames of a text as the app renders it, without leading silent frames. */
  private List<short[]> rendered(String text) {
    List<PcmAudio> frames =
        Objects.requireNonNull(
            synthesis
                .frames(text, Voice.of(Language.ENGLISH), RATE)
                .collectList()
                .block(Duration.ofSeconds(60)));
    List<short[]> out = new ArrayList<>();
    for (PcmAudio f : frames) {
      if (!out.isEmpty() || !isZero(f.samples())) {
        out.add(f.samples());
      }
    }
    return out;
  }

  /**
   * Where the first {@code n} frames of {@code expected} arrive in order after {@code afterNanos},
   * or -1; up to {@link #DROPS_ALLOWED} may be missing (the server drops a frame when its socket
   * has too many in flight), but every frame that arrived must be the expected one.
   */
  private static int find(
      List<ReceivedMessage> audio, List<short[]> expected, long afterNanos, int n) {
    int count = Math.min(n, expected.size());
    for (int i = 0; i < audio.size(); i++) {
      if (audio.get(i).atNanos() > afterNanos && arrivesFrom(audio, i, expected, count)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean arrivesFrom(
      List<ReceivedMessage> audio, int start, List<short[]> expected, int count) {
    int drops = 0;
    int j = start;
    for (int k = 0; k < count; k++) {
      if (j < audio.size() && Arrays.equals(pcm(audio.get(j)), expected.get(k))) {
        j++;
      } else if (k == 0 || j >= audio.size() || ++drops > DROPS_ALLOWED) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(short[] samples) {
    for (short s : samples) {
      if (s != 0) {
        return false;
      }
    }
    return true;
  }

  private static short[] pcm(ReceivedMessage m) {
    return Pcm.fromSlin(RATE, ((AudioSocketMessage.Audio) m.message()).pcm()).samples();
  }

  /** A sentence in flite's {@code slt} voice at 8 kHz, leading and trailing silence trimmed. */
  private static PcmAudio flite(String text) {
    return SpeechTools.flite(text).resampleTo(RATE).trimSilence(-50, Duration.ZERO);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("voicecall-hostile-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
