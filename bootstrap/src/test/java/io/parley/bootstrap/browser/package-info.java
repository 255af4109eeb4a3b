/**
 * Tests in a real browser: headless Chromium (the system's, driven through its chromedriver by Selenium)
 * loads the demo page and the browser client from a real server. Skipped, saying why, where no Chromium is
 * installed.
 */
package io.parley.bootstrap.browser;
