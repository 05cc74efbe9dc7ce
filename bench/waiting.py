#!/usr/bin/env python3
"""One round of duplicates waiting for the request in flight with their key.

Sends one POST /payments (slow: the sample's payment-delay) to the first instance, then, once it
runs, DUPLICATES requests with the same key to the waiting instance (the same one, or another on
the same store), and prints one JSON line: when the first answered, when each duplicate answered
(seconds, relative to the first's answer), and their statuses.

Usage: waiting.py <first port> <waiting port> <duplicates> <start delay seconds>
"""
import http.client
import json
import sys
import threading
import time
import uuid

BODY = json.dumps({"amount": 1000, "currency": "EUR"})


def post(port, key, answers, index):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/payments", BODY, {"Content-Type": "application/json",
                                                    "Idempotency-Key": '"%s"' % key})
    response = connection.getresponse()
    response.read()
    answers[index] = (time.monotonic(), response.status, response.getheader("Idempotent-Replayed"))
    connection.close()


def main():
    first_port, waiting_port, duplicates, start_delay = (int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]),
                                                         float(sys.argv[4]))
    key = str(uuid.uuid4())
    answers = [None] * (duplicates + 1)
    first = threading.Thread(target=post, args=(first_port, key, answers, 0))
    first.start()
    time.sleep(start_delay)  # the first request has claimed its key and runs (its delay is far longer)
    sent = time.monotonic()
    threads = [threading.Thread(target=post, args=(waiting_port, key, answers, i + 1)) for i in range(duplicates)]
    for thread in threads:
        thread.start()
    first.join()
    for thread in threads:
        thread.join()
    first_answered = answers[0][0]
    print(json.dumps({
        "first_status": answers[0][1],
        "sent_after_first": sent,
        "first_answered": first_answered,
        "lags": [answer[0] - first_answered for answer in answers[1:]],
        "statuses": [answer[1] for answer in answers[1:]],
        "replayed": sum(1 for answer in answers[1:] if answer[2] == "true"),
    }))


if __name__ == "__main__":
    main()
