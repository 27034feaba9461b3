package voicecall.app.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import voicecall.app.SpeechTools;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.engine.audio.MuLaw;
import voicecall.tts.audio.PcmAudio;

/**
 * Whole conversations under load: many callers at once, over AudioSocket, against a running engine.
 * Each caller waits for the greeting to end, asks English questions in a flite voice, waits for
 * each reply to end, then asks the next, and hangs up. It measures what the caller experiences,
 * from the moment the frame with the question's last sample was sent to the first audible frame of
 * the reply, and reads what the engine heard and decided from the call records.
 *
 * <p>Not a test: run it by hand against the engine started with the README's run command (see
 * src/CONVERSATION-README.md, "Whole conversations under load"). It needs flite.
 *
 * <p>Options: {@code --calls 30} callers at once; {@code --questions-per-call 4}; {@code --ramp 10}
 * seconds over which the calls start; {@code --snr inf|15} (white noise on the whole line, dB under
 * the speech); {@code --audiosocket 127.0.0.1:9092}; {@code --http http://127.0.0.1:8080}; {@code
 * --questions rag/src/test/resources/eval/queries-en.tsv} (expected entry id, tab, question; only
 * entries the engine has are asked); {@code --voices slt,rms,awb,kal16}; {@code --seed 1}.
 */
public final class ConversationLoad {

  private static final int RATE = 8000;
  private static final Duration QUIET = Duration.ofMillis(1200);
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);
  private static final String ENDED_BY_ENGINE = "ended by the engine (transfer or goodbye)";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ConversationLoad() {}

  /** One caller question with the entry that answers it. */
  record Question(String expectedId, String text) {}

  /** One asked question: what the caller measured. */
  record Asked(Question question, long voiceToVoiceNanos) {}

  /** One call: its id, the questions asked in order, and how it ended. */
  record CallResult(UUID id, List<Asked> asked, String failure) {}

  /**
   * Runs the load and prints the results.
   *
   * @param args see the class description
   * @throws Exception when the engine cannot be reached
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    int calls = Integer.parseInt(o.getOrDefault("calls", "30"));
    int perCall = Integer.parseInt(o.getOrDefault("questions-per-call", "4"));
    double rampSeconds = Double.parseDouble(o.getOrDefault("ramp", "10"));
    if (calls < 1 || perCall < 1 || !(rampSeconds >= 0)) {
      throw new IllegalArgumentException(
          "--calls and --questions-per-call must be at least 1, --ramp at least 0 seconds");
    }
    String snrOption = o.getOrDefault("snr", "inf");
    double snr = snrOption.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(snrOption);
    String[] hostPort = o.getOrDefault("audiosocket", "127.0.0.1:9092").split(":");
    InetSocketAddress server = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    String http = o.getOrDefault("http", "http://127.0.0.1:8080");
    Path questionsFile =
        Path.of(o.getOrDefault("questions", "rag/src/test/resources/eval/queries-en.tsv"));
    String[] voices = o.getOrDefault("voices", "slt,rms,awb,kal16").split(",");
    long seed = Long.parseLong(o.getOrDefault("seed", "1"));

    HttpClient client = HttpClient.newHttpClient();
    Set<String> known = englishEntries(client, http);
    List<Question> questions = questions(questionsFile, known);
    if (questions.isEmpty()) {
      throw new IllegalStateException("no question in " + questionsFile + " is about " + known);
    }
    System.out.printf(
        Locale.ROOT,
        "%d questions about %d English entries, %d voices; rendering...%n",
        questions.size(),
        known.size(),
        voices.length);
    Map<String, PcmAudio> spoken = new HashMap<>();
    for (Question q : questions) {
      for (String voice : voices) {
        spoken.put(voice + '|' + q.text(), flite(voice, q.text()));
      }
    }

    Random random = new Random(seed);
    List<List<Question>> scripts = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      List<Question> script = new ArrayList<>();
      for (int k = 0; k < perCall; k++) {
        script.add(questions.get(random.nextInt(questions.size())));
      }
      scripts.add(script);
    }

    double cpuBefore = processCpuSeconds(client, http);
    long started = System.nanoTime();
    Scheduler pacing = Schedulers.newParallel("load-pacing", 2);
    ExecutorService callers = Executors.newFixedThreadPool(calls);
    Map<UUID, CallResult> results = new ConcurrentHashMap<>();
    List<Future<?>> running = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        int n = i;
        long startAt = started + (long) (rampSeconds * 1e9 * i / Math.max(1, calls));
        running.add(
            callers.submit(
                () -> {
                  sleepUntil(startAt);
                  CallResult r =
                      call(
                          server,
                          pacing,
                          scripts.get(n),
                          voices[n % voices.length],
                          spoken,
                          snr,
                          seed + n);
                  results.put(r.id(), r);
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      callers.shutdownNow();
      pacing.dispose();
    }
    double wallSeconds = (System.nanoTime() - started) / 1e9;
    double cpuSeconds = processCpuSeconds(client, http) - cpuBefore;
    report(client, http, results, calls, perCall, snrOption, wallSeconds, cpuSeconds);
  }

  /** One call, on the calling thread: greeting, questions, hang-up. */
  static CallResult call(
      InetSocketAddress server,
      Scheduler pacing,
      List<Question> script,
      String voice,
      Map<String, PcmAudio> spoken,
      double snr,
      long seed) {
    UUID id = UUID.randomUUID();
    List<Asked> asked = new ArrayList<>();
    AudioSocketCaller caller =
        Objects.requireNonNull(
            AudioSocketCaller.dial(server, id, new Pcm(RATE, new short[0]), true, pacing)
                .block(Duration.ofSeconds(10)));
    try {
      if (!Double.isInfinite(snr)) {
        double speechDbfs =
            script.stream()
                .mapToDouble(q -> said(spoken, voice, q).rmsDbfs())
                .average()
                .orElse(-20);
        caller.lineNoise(new Pcm(RATE, whiteNoise(speechDbfs - snr, seed)));
      }
      long dialled = System.nanoTime();
      if (!awaitQuietAfterSound(caller, dialled, Duration.ofSeconds(20))) {
        return new CallResult(id, asked, "no greeting");
      }
      for (Question q : script) {
        PcmAudio audio = said(spoken, voice, q);
        caller.say(new Pcm(RATE, audio.samples()));
        Long said =
            Mono.firstWithValue(caller.saidAt(), caller.closed().then(Mono.just(-1L)))
                .block(Duration.ofSeconds(60));
        if (said == null || said < 0) {
          return new CallResult(id, asked, ended(caller, "the question was not sent"));
        }
        long reply = awaitSound(caller, said, REPLY_TIMEOUT);
        if (reply < 0) {
          return new CallResult(
              id, asked, ended(caller, "no reply within " + REPLY_TIMEOUT.toSeconds() + " s"));
        }
        asked.add(new Asked(q, reply - said));
        if (!awaitQuietAfterSound(caller, reply, Duration.ofSeconds(60))) {
          return new CallResult(id, asked, ended(caller, "reply did not end within 60 s"));
        }
      }
      return new CallResult(id, asked, "");
    } catch (RuntimeException e) {
      return new CallResult(id, asked, "failed: " + e);
    } finally {
      caller.hangUp().block(Duration.ofSeconds(10));
    }
  }

  /** A question as one voice says it, rendered before the calls start. */
  private static PcmAudio said(Map<String, PcmAudio> spoken, String voice, Question q) {
    return Objects.requireNonNull(spoken.get(voice + '|' + q.text()), q.text());
  }

  /** Why a call stopped early: the engine hung up, the connection broke, or {@code otherwise}. */
  private static String ended(AudioSocketCaller caller, String otherwise) {
    if (caller.hangupReceived()) {
      return ENDED_BY_ENGINE;
    }
    return caller.isConnected() ? otherwise : "connection closed without a hang-up message";
  }

  /** Waits for the first audible frame after {@code from}; -1 on timeout. */
  private static long awaitSound(AudioSocketCaller caller, long from, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && caller.isConnected()) {
      long at = caller.firstAudibleAfter(from);
      if (at >= 0) {
        return at;
      }
      pause(10);
    }
    return -1;
  }

  /** Waits until something audible came after {@code from} and then {@link #QUIET} passed. */
  private static boolean awaitQuietAfterSound(
      AudioSocketCaller caller, long from, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      long last = caller.lastAudibleAt();
      if (last >= from && System.nanoTime() - last >= QUIET.toNanos()) {
        return true;
      }
      if (!caller.isConnected()) {
        return false;
      }
      pause(50);
    }
    return false;
  }

  private static void report(
      HttpClient client,
      String http,
      Map<UUID, CallResult> results,
      int calls,
      int perCall,
      String snr,
      double wallSeconds,
      double cpuSeconds)
      throws IOException, InterruptedException {
    Histogram caller = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    Histogram engine = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    int failed = 0;
    int endedByEngine = 0;
    int misaligned = 0;
    Map<String, Integer> failures = new java.util.TreeMap<>();
    int turnsRecorded = 0;
    for (CallResult r : results.values()) {
      if (r.failure().equals(ENDED_BY_ENGINE)) {
        endedByEngine++;
      } else if (!r.failure().isEmpty()) {
        failed++;
        failures.merge(r.failure(), 1, Integer::sum);
      }
      JsonNode turns = turns(client, http, r.id(), r.asked().size());
      if (turns.size() != r.asked().size()) {
        // the turns do not line up with the questions: a call that got the keypad menu (no turns
        // until a key), or a question heard as two utterances. Its replies are not to the
        // questions.
        misaligned++;
        continue;
      }
      for (Asked a : r.asked()) {
        caller.recordValue(a.voiceToVoiceNanos() / 1000);
      }
      for (int i = 0; i < turns.size(); i++) {
        JsonNode t = turns.get(i);
        turnsRecorded++;
        JsonNode v2v = t.path("voiceToVoiceMs");
        if (v2v.isNumber()) {
          engine.recordValue(v2v.asLong() * 1000);
        }
        String decision = t.path("decision").asString("?");
        String entry = t.path("entryId").asString("");
        boolean right = entry.equals(r.asked().get(i).question().expectedId());
        String key =
            switch (decision) {
              case "ANSWER", "CLARIFY" -> decision + (right ? " right" : " other");
              default -> decision;
            };
        outcomes.merge(key, 1, Integer::sum);
      }
    }
    int asked = results.values().stream().mapToInt(r -> r.asked().size()).sum();
    System.out.printf(
        Locale.ROOT,
        "%n%d calls (%d failed, %d ended early by the engine: transfer or goodbye), %d questions"
            + " asked of %d; %d calls left out because their recorded turns do not line up with"
            + " the questions (keypad menu, or a question heard as two); %d turns measured;"
            + " line %s; %.0f s%n",
        calls,
        failed,
        endedByEngine,
        asked,
        calls * perCall,
        misaligned,
        turnsRecorded,
        snr.equals("inf") ? "clean" : "white noise " + snr + " dB",
        wallSeconds);
    failures.forEach(
        (why, n) -> System.out.printf(Locale.ROOT, "  %d failed call(s): %s%n", n, why));
    System.out.printf(
        Locale.ROOT,
        "voice-to-voice at the caller (last question sample sent -> first audible reply frame):"
            + " p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        caller.getValueAtPercentile(50) / 1000.0,
        caller.getValueAtPercentile(95) / 1000.0,
        caller.getValueAtPercentile(99) / 1000.0,
        caller.getMaxValue() / 1000.0);
    System.out.printf(
        Locale.ROOT,
        "in the engine (end of speech detected -> first reply frame queued), %d turns:"
            + " p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        engine.getTotalCount(),
        engine.getValueAtPercentile(50) / 1000.0,
        engine.getValueAtPercentile(95) / 1000.0,
        engine.getValueAtPercentile(99) / 1000.0,
        engine.getMaxValue() / 1000.0);
    System.out.printf(Locale.ROOT, "decisions: %s%n", outcomes);
    System.out.printf(
        Locale.ROOT,
        "engine CPU %.1f s over %.0f s: %.2f cores%n",
        cpuSeconds,
        wallSeconds,
        cpuSeconds / wallSeconds);
  }

  /** The call's recorded turns, once the record holds as many as were asked (or 30 s passed). */
  private static JsonNode turns(HttpClient client, String http, UUID id, int expected)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode turns = JSON.createArrayNode();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(http + "/api/v1/calls/" + id)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        turns = JSON.readTree(r.body()).path("turns");
        if (turns.size() >= expected) {
          return turns;
        }
      }
      pause(500);
    }
    return turns;
  }

  private static Set<String> englishEntries(HttpClient client, String http)
      throws IOException, InterruptedException {
    Set<String> ids = new HashSet<>();
    for (int page = 0; ; page++) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(http + "/api/v1/knowledge/entries?lang=en&size=200&page=" + page))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET entries: HTTP " + r.statusCode() + ": " + r.body());
      }
      JsonNode items = JSON.readTree(r.body()).path("items");
      if (items.isEmpty()) {
        return ids;
      }
      for (JsonNode e : items) {
        ids.add(e.path("id").asString());
      }
    }
  }

  static List<Question> questions(Path file, Set<String> known) throws IOException {
    List<Question> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", 2);
      if (f.length == 2 && known.contains(f[0].strip())) {
        out.add(new Question(f[0].strip(), f[1].strip()));
      }
    }
    return out;
  }

  private static double processCpuSeconds(HttpClient client, String http)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(http + "/actuator/metrics/process.cpu.time")).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return Double.NaN;
    }
    return JSON.readTree(r.body()).path("measurements").get(0).path("value").asDouble() / 1e9;
  }

  /** flite speech at 8 kHz, trimmed, through a µ-law round trip as on a telephone line. */
  static PcmAudio flite(String voice, String text) {
    short[] s =
        SpeechTools.flite(voice, text).resampleTo(RATE).trimSilence(-50, Duration.ZERO).samples();
    for (int i = 0; i < s.length; i++) {
      s[i] = MuLaw.decode(MuLaw.encode(s[i]));
    }
    return PcmAudio.of(s, RATE);
  }

  /** Ten seconds of Gaussian white noise at an RMS level in dB of full scale. */
  static short[] whiteNoise(double dbfs, long seed) {
    Random random = new Random(seed);
    double rms = 32768 * Math.pow(10, dbfs / 20);
    short[] out = new short[RATE * 10];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rms * random.nextGaussian()));
    }
    return out;
  }

  private static final List<String> OPTIONS =
      List.of(
          "calls",
          "questions-per-call",
          "ramp",
          "snr",
          "audiosocket",
          "http",
          "questions",
          "voices",
          "seed");

  private static Map<String, String> options(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come as --name value pairs; one has no value");
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option " + args[i] + "; known: --" + String.join(", --", OPTIONS));
      }
      o.put(name, args[i + 1]);
    }
    return o;
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      pause(TimeUnit.NANOSECONDS.toMillis(left));
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
