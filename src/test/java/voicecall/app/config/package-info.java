/** Tests of the typed configuration. */
@NullMarked
package voicecall.app.config;

import org.jspecify.annotations.NullMarked;
