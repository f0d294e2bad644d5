#!/usr/bin/python3
"""Calls a server with Python's grpcio (gRPC C-core: its own HTTP/2, HPACK and flow control),
from a JSON plan on stdin, and prints what came back as JSON. Messages travel as hex bytes; the
test encodes and decodes them, so no generated Python code is needed.

Plan: {"target": "host:port",
       "unary": [{"path": "/pkg.Service/Method", "request": "<hex>"}],
       "stream": {"path": "/pkg.Service/Method", "requests": ["<hex>", ...]}}
A stream request gets exactly one answer before the next is sent; the stream then half-closes.
"""
import json
import queue
import sys

import grpc

plan = json.load(sys.stdin)
identity = dict(request_serializer=lambda b: b, response_deserializer=lambda b: b)
out = {"unary": [], "stream": [], "stream_status": None}
with grpc.insecure_channel(plan["target"]) as channel:
    for call in plan.get("unary", []):
        try:
            answer = channel.unary_unary(call["path"], **identity)(bytes.fromhex(call["request"]), timeout=10)
            out["unary"].append({"response": answer.hex()})
        except grpc.RpcError as err:
            out["unary"].append({"code": err.code().name, "details": err.details()})
    stream = plan.get("stream")
    if stream:
        requests = queue.Queue()

        def pending():
            while True:
                item = requests.get()
                if item is None:
                    return
                yield item

        answers = channel.stream_stream(stream["path"], **identity)(pending(), timeout=30)
        for request in stream["requests"]:
            requests.put(bytes.fromhex(request))
            out["stream"].append(next(answers).hex())
        requests.put(None)
        try:
            for extra in answers:
                out["stream"].append(extra.hex())
            out["stream_status"] = "OK"
        except grpc.RpcError as err:
            out["stream_status"] = err.code().name
json.dump(out, sys.stdout)
