"""Drives an MCP server over stdio with the official Python MCP SDK, as an agent host would.

Usage: python client.py PLAN.json

The plan is a JSON object:
  {"command": "/path/to/server", "args": [...], "env": {...},
   "steps": [{"list_tools": true} | {"call": "tool_name", "arguments": {...}}]}
or, for a server already listening on Streamable HTTP, {"url": "http://127.0.0.1:PORT/mcp",
"steps": [...]}.

Prints one JSON object on stdout: {"steps": [...]} with, per step, what the server answered in
MCP's wire shape (camelCase): for `list_tools`, the tools, plus `schema_errors`, the problems
`jsonschema`'s Draft202012Validator.check_schema finds in each input schema (empty when every
schema is valid); for `call`, the CallToolResult.
"""

import json
import sys

import anyio
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client


def wire(model):
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def transport(plan):
    if "url" in plan:
        return streamable_http_client(plan["url"])
    params = StdioServerParameters(
        command=plan["command"], args=plan.get("args", []), env=plan.get("env")
    )
    return stdio_client(params)


async def run(plan):
    out = []
    async with transport(plan) as streams:
        read, write = streams[0], streams[1]
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            out.append({"initialize": wire(init)})
            for step in plan["steps"]:
                if step.get("list_tools"):
                    tools = []
                    cursor = None
                    while True:
                        page = await session.list_tools(cursor=cursor) if cursor else await session.list_tools()
                        tools.extend(wire(t) for t in page.tools)
                        cursor = getattr(page, "next_cursor", None)
                        if not cursor:
                            break
                    errors = {}
                    for tool in tools:
                        try:
                            Draft202012Validator.check_schema(tool["inputSchema"])
                        except SchemaError as e:
                            errors[tool["name"]] = str(e).splitlines()[0]
                    out.append({"tools": tools, "schema_errors": errors})
                else:
                    result = await session.call_tool(step["call"], step.get("arguments") or {})
                    out.append({"result": wire(result)})
    print(json.dumps({"steps": out}))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    anyio.run(run, plan)


if __name__ == "__main__":
    main()
