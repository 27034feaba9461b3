package voicecall.app.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything configurable under {@code voicecall.*}. Bound once at start and validated: a wrong
 * value stops the start with a message naming the property instead of failing mid-call. Each
 * capability adds its own nested record here.
 *
 * @param database our database settings (the connection itself is {@code spring.r2dbc.*})
 * @param knowledge limits and tuning of the knowledge base
 */
@Validated
@ConfigurationProperties("voicecall")
public record VoiceCallProperties(
    @Valid @DefaultValue Database database, @Valid @DefaultValue Knowledge knowledge) {

  /**
   * Database settings that are ours.
   *
   * @param migrationTimeout how long the start may wait for the schema migration before failing
   */
  public record Database(@NotNull @DefaultValue("60s") Duration migrationTimeout) {

    /** Rejects a non-positive timeout, which would make every start fail. */
    public Database {
      if (migrationTimeout.isNegative() || migrationTimeout.isZero()) {
        throw new IllegalArgumentException(
            "voicecall.database.migration-timeout must be positive, was " + migrationTimeout);
      }
    }
  }

  /**
   * Knowledge base settings.
   *
   * @param maxUploadSize largest request body accepted by the knowledge endpoints; larger ones get
   *     413
   * @param maxEntries most entries one knowledge version may hold
   * @param maxAnswerChars longest answer in characters (longer ones take too long to speak)
   * @param maxQuestionChars longest question phrasing in characters
   * @param cacheSize answers cached per knowledge version
   * @param loadTimeout how long the start may wait to load the active version into the index
   * @param sampleOnFirstStart load the built-in sample FAQ when the database has no version yet
   */
  public record Knowledge(
      @NotNull @DefaultValue("5MB") DataSize maxUploadSize,
      @DefaultValue("20000") int maxEntries,
      @DefaultValue("600") int maxAnswerChars,
      @DefaultValue("300") int maxQuestionChars,
      @DefaultValue("10000") int cacheSize,
      @NotNull @DefaultValue("60s") Duration loadTimeout,
      @DefaultValue("true") boolean sampleOnFirstStart) {

    /** Rejects limits that would make every upload or start fail. */
    public Knowledge {
      if (maxUploadSize.toBytes() < 1
          || maxEntries < 1
          || maxAnswerChars < 1
          || maxQuestionChars < 1
          || cacheSize < 0
          || loadTimeout.isNegative()
          || loadTimeout.isZero()) {
        throw new IllegalArgumentException(
            "voicecall.knowledge.* limits must be positive (cache-size may be 0)");
      }
    }
  }
}
