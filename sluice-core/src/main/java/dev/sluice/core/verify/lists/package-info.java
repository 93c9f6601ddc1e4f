/**
 * Data lists shipped in the jar and overridable from files: disposable domains, free providers, role
 * local parts, common domain typos. Depends on nothing of ours.
 */
package dev.sluice.core.verify.lists;
