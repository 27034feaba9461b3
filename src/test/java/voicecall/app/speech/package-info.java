/** Tests of the speech wiring: pre-rendering, metrics, configuration and the preview endpoint. */
@NullMarked
package voicecall.app.speech;

import org.jspecify.annotations.NullMarked;
