// The Worker in front of the Profile objects: /profiles/<name> goes to the object of that name.
export default {
  async fetch(request, env) {
    const name = decodeURIComponent(new URL(request.url).pathname.replace(/^\/profiles\//, ""));
    return env.PROFILES.getByName(name).fetch(request);
  },
} satisfies ExportedHandler<{ PROFILES: DurableObjectNamespace }>;
