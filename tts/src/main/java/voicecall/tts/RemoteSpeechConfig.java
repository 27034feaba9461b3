package voicecall.tts;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a remote OpenAI-compatible speech endpoint ({@code POST <baseUrl>/v1/audio/speech}).
 *
 * @param baseUrl the server, e.g. {@code https://api.openai.com}; the path {@code /v1/audio/speech}
 *     is added
 * @param model the model name sent in the request, e.g. {@code tts-1}
 * @param voice the voice name sent in the request, e.g. {@code alloy}
 * @param apiKey the bearer token, or null for servers without authentication
 * @param timeout how long one request may take, connection included
 */
public record RemoteSpeechConfig(
    URI baseUrl, String model, String voice, @Nullable String apiKey, Duration timeout) {

  /** Environment variable with the base URL; without it there is no remote synthesiser. */
  public static final String BASE_URL_ENV = "VOICECALL_TTS_REMOTE_BASE_URL";

  /** Environment variable with the model (default {@code tts-1}). */
  public static final String MODEL_ENV = "VOICECALL_TTS_REMOTE_MODEL";

  /** Environment variable with the voice (default {@code alloy}). */
  public static final String VOICE_ENV = "VOICECALL_TTS_REMOTE_VOICE";

  /** Environment variable with the API key (optional). */
  public static final String API_KEY_ENV = "VOICECALL_TTS_REMOTE_API_KEY";

  /** Environment variable with the request timeout in milliseconds (default 3000). */
  public static final String TIMEOUT_ENV = "VOICECALL_TTS_REMOTE_TIMEOUT_MS";

  /** Validates the settings. */
  public RemoteSpeechConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(voice, "voice");
    Objects.requireNonNull(timeout, "timeout");
    String scheme = baseUrl.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "remote speech base URL must be an http(s) URL with a host, was " + baseUrl);
    }
    if (model.isBlank() || voice.isBlank()) {
      throw new IllegalArgumentException("remote speech model and voice must not be blank");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("remote speech timeout must be positive, was " + timeout);
    }
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
  }

  /**
   * Reads the settings from environment variables ({@link #BASE_URL_ENV} and the others).
   *
   * @param environment the variables, e.g. {@code System.getenv()}
   * @return the settings, or null when no base URL is set
   */
  public static @Nullable RemoteSpeechConfig fromEnvironment(Map<String, String> environment) {
    String baseUrl = environment.get(BASE_URL_ENV);
    if (baseUrl == null || baseUrl.isBlank()) {
      return null;
    }
    String timeout = environment.getOrDefault(TIMEOUT_ENV, "3000");
    long millis;
    try {
      millis = Long.parseLong(timeout.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(TIMEOUT_ENV + " must be milliseconds, was " + timeout, e);
    }
    return new RemoteSpeechConfig(
        URI.create(baseUrl.strip()),
        environment.getOrDefault(MODEL_ENV, "tts-1"),
        environment.getOrDefault(VOICE_ENV, "alloy"),
        environment.get(API_KEY_ENV),
        Duration.ofMillis(millis));
  }

  /** Shows the settings without the API key. */
  @Override
  public String toString() {
    return "RemoteSpeechConfig[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", voice="
        + voice
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + ", timeout="
        + timeout
        + "]";
  }
}
