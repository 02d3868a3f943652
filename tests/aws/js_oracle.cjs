// The oracle for how Claude Code reads the AWS config files: the AWS SDK for JavaScript v3's
// own loader (@smithy/shared-ini-file-loader, @smithy/node-config-provider), run for real.
//
//     node js_oracle.cjs NPM_DIR      (NPM_DIR holds node_modules/@smithy/...)
//
// Reads one JSON request per line on stdin, {"env": {NAME: value, ...}, "cwd": DIR}: the
// environment the SDK sees (HOME, USERPROFILE, HOMEDRIVE, HOMEPATH, AWS_CONFIG_FILE,
// AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE, AWS_REGION: this process's own AWS_* and home
// variables are removed first) and the directory relative paths start from. Answers one JSON
// line per request:
//
//   config, credentials   loadSharedConfigFiles(): each file's sections, as the SDK keeps them
//   merged                parseKnownFiles(): the two merged, what the credential providers read
//   sso_sessions          loadSsoSessionData()
//   profiles              per profile of `merged` (not the sso-session./services. sections):
//                         {name, region, kind_inputs}; region as Claude Code 2.1.328 reads it
//                         from the files (loadConfig with NODE_REGION_CONFIG_FILE_OPTIONS, no
//                         environment variable), kind_inputs the keys the credential providers
//                         look at (secret values replaced by "<set>")
//   selected              {profile, region}: getProfileName() and the full region chain
//                         (NODE_REGION_CONFIG_OPTIONS: AWS_REGION, then the files)
//
// Each request gets fresh copies of the modules: the loader caches every file it reads.
"use strict";

const path = require("node:path");
const readline = require("node:readline");
const { createRequire } = require("node:module");

const npmDir = process.argv[2];
if (!npmDir) {
  process.stderr.write("usage: node js_oracle.cjs NPM_DIR\n");
  process.exit(2);
}
const npmRequire = createRequire(path.join(path.resolve(npmDir), "package.json"));

const KIND_KEYS = [
  "role_arn", "source_profile", "credential_source", "role_session_name", "external_id",
  "mfa_serial", "web_identity_token_file", "credential_process", "sso_session",
  "sso_start_url", "sso_account_id", "sso_region", "sso_role_name", "login_session",
  "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_account_id",
];
const SECRET_KEYS = new Set(["aws_secret_access_key", "aws_session_token"]);
const NOT_PROFILES = ["sso-session.", "services."];
const HOME_VARS = new Set(["HOME", "USERPROFILE", "HOMEDRIVE", "HOMEPATH"]);
const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !HOME_VARS.has(k)),
);

function freshModules() {
  for (const key of Object.keys(require.cache)) {
    if (key.includes(`${path.sep}@smithy${path.sep}`)) delete require.cache[key];
  }
  return {
    ini: npmRequire("@smithy/shared-ini-file-loader"),
    provider: npmRequire("@smithy/node-config-provider"),
    config: npmRequire("@smithy/core/config"),
  };
}

function kindInputs(profile) {
  const out = {};
  for (const key of KIND_KEYS) {
    if (typeof profile[key] === "string") out[key] = SECRET_KEYS.has(key) ? "<set>" : profile[key];
  }
  return out;
}

async function answer(request) {
  process.env = { ...BASE_ENV, AWS_EC2_METADATA_DISABLED: "true", ...request.env };
  if (request.cwd) process.chdir(request.cwd);
  const { ini, provider, config } = freshModules();
  const files = await ini.loadSharedConfigFiles();
  const merged = await ini.parseKnownFiles({});
  const ssoSessions = await ini.loadSsoSessionData();
  const fileRegion = {
    environmentVariableSelector: () => undefined, // Claude Code reads the env itself, first
    configFileSelector: config.NODE_REGION_CONFIG_OPTIONS.configFileSelector,
    default: () => undefined,
  };
  const profiles = [];
  for (const name of Object.keys(merged)) {
    if (NOT_PROFILES.some((prefix) => name.startsWith(prefix))) continue;
    const region = await provider.loadConfig(fileRegion, {
      ...config.NODE_REGION_CONFIG_FILE_OPTIONS,
      profile: name,
    })();
    profiles.push({ name, region: region ?? null, kind_inputs: kindInputs(merged[name]) });
  }
  const selectedRegion = await provider.loadConfig(
    { ...config.NODE_REGION_CONFIG_OPTIONS, default: () => undefined },
    { ...config.NODE_REGION_CONFIG_FILE_OPTIONS },
  )();
  return {
    config: files.configFile,
    credentials: files.credentialsFile,
    merged,
    sso_sessions: ssoSessions,
    profiles,
    selected: { profile: ini.getProfileName({}), region: selectedRegion ?? null },
  };
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let reply;
    try {
      reply = await answer(JSON.parse(line));
    } catch (err) {
      reply = { error: String(err && err.stack ? err.stack : err) };
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  }
}

main();
