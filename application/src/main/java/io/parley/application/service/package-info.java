/**
 * The use-case implementations behind the inbound ports.
 */
package io.parley.application.service;
