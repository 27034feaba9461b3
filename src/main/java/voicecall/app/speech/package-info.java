/**
 * Speech output in the application: the synthesiser fallback chain (FreeTTS, espeak-ng, an optional
 * remote endpoint), the audio cache and ordered synthesis as beans, their metrics, pre-rendering of
 * every answer and fixed prompt when a knowledge version is activated, and an admin preview
 * endpoint ({@code GET /api/v1/speech/preview}).
 */
@NullMarked
package voicecall.app.speech;

import org.jspecify.annotations.NullMarked;
