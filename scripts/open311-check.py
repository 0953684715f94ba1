#!/usr/bin/env python3
"""Checks a running Yunwei's Open311 GeoReport v2 interface with an independent client.

Reads through the PyPI package `georeport` (its GeoReport class builds the URLs and parses the
JSON and the XML with xmltodict), and files a request with `requests`, form-encoded exactly as
the specification describes — `georeport` has no method for filing. Each check prints one line;
the last line is `N passed, M failed`, and the exit status is non-zero when any check failed.

    .ci/venv/bin/python scripts/open311-check.py --base http://127.0.0.1:8089 [--api-key demo-open311-key]

Needs georeport and requests (scripts/install-deps puts both in .ci/venv).
"""

from __future__ import annotations

import argparse
import sys
import traceback

import requests
from georeport import GeoReport

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Personal data sent with the report; none of it may ever come back.
PHONE = "13800138000"
FIRST_NAME = "检查"
LAST_NAME = "欧阳"


class Failed(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def as_list(value) -> list:
    """xmltodict gives one repeated element as a dict, several as a list, none as None."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Check:
    def __init__(self, base: str, api_key: str, jurisdiction: str | None) -> None:
        self.root = base.rstrip("/") + "/open311/v2"
        self.api_key = api_key
        self.jurisdiction = jurisdiction
        self.json = GeoReport(self.root, jurisdiction=jurisdiction, api_key=api_key, output_format="json")
        self.xml = GeoReport(self.root, jurisdiction=jurisdiction, api_key=api_key, output_format="xml")
        self.passed = 0
        self.failed = 0
        self.service: dict | None = None
        self.definition: dict | None = None
        self.request_id: str | None = None

    def run(self, name, step) -> None:
        try:
            step()
        except Exception as error:  # noqa: BLE001 - every failure is one failed check
            self.failed += 1
            print(f"FAIL  {name}: {error}")
            if not isinstance(error, Failed):
                traceback.print_exc(limit=3)
        else:
            self.passed += 1
            print(f"ok    {name}")

    # -- the checks, in the order a client works -------------------------------------------

    def discovery(self) -> None:
        response = requests.get(self.root + "/discovery.json", timeout=30)
        expect(response.status_code == 200, f"status {response.status_code}")
        endpoints = response.json()["endpoints"]
        expect(any(e["specification"] == SPECIFICATION for e in endpoints), f"no GeoReport v2 endpoint: {endpoints}")
        expect("application/json" in endpoints[0]["formats"], "JSON not among the formats")

    def services(self) -> None:
        services = self.json.get_service_list()
        expect(isinstance(services, list) and services, "no services")
        for service in services:
            for field in ("service_code", "service_name", "metadata", "type", "group"):
                expect(field in service, f"{service.get('service_code')} has no {field}")
        codes = [s["service_code"] for s in services]
        expect(not any(c.startswith(("PET-", "STA-")) for c in codes), f"private categories listed: {codes}")
        # A service with a required question of its own shows the attribute handling best.
        self.service = next((s for s in services if s["service_code"] == "FAC-ROAD"), services[0])

    def services_xml(self) -> None:
        services = as_list(self.xml.get_service_list())
        json_codes = [s["service_code"] for s in self.json.get_service_list()]
        expect([s["service_code"] for s in services] == json_codes, "XML and JSON list different services")
        expect(all(s["type"] == "realtime" for s in services), "a service is not realtime")

    def definition_json(self) -> None:
        expect(self.service is not None, "no service to define")
        definition = self.json.get_service_definition(self.service["service_code"])
        expect(definition["service_code"] == self.service["service_code"], "definition of another service")
        attributes = definition["attributes"]
        village = next((a for a in attributes if a["code"] == "village"), None)
        expect(village is not None, "no village attribute")
        expect(village["datatype"] == "singlevaluelist" and village["required"] is True, f"village attribute: {village}")
        expect(len(village["values"]) > 0, "no villages to choose from")
        self.definition = definition

    def definition_xml(self) -> None:
        expect(self.service is not None, "no service to define")
        definition = self.xml.get_service_definition(self.service["service_code"])
        attributes = as_list(definition["attributes"]["attribute"])
        expect([a["code"] for a in attributes] == [a["code"] for a in self.definition["attributes"]], "XML attributes differ")
        village = attributes[0]
        expect(village["required"] == "true", "village not required in XML")
        expect(len(as_list(village["values"]["value"])) == len(self.definition["attributes"][0]["values"]), "XML villages differ")

    def submit(self) -> None:
        expect(self.definition is not None, "no service definition")
        form = {
            "api_key": self.api_key,
            "service_code": self.service["service_code"],
            "lat": "30.657421",
            "long": "104.065735",
            "address_string": "村委会东侧 200 米",
            "description": "Open311 检查：村口道路破损，约两平方米",
            "first_name": FIRST_NAME,
            "last_name": LAST_NAME,
            "phone": PHONE,
            "email": "check@example.com",
        }
        if self.jurisdiction:
            form["jurisdiction_id"] = self.jurisdiction
        for attribute in self.definition["attributes"]:
            if attribute["code"] == "village":
                form["attribute[village]"] = attribute["values"][0]["key"]
            elif attribute["required"]:
                if attribute["datatype"] == "number":
                    form[f"attribute[{attribute['code']}]"] = "2"
                elif attribute["datatype"] in ("singlevaluelist", "multivaluelist"):
                    form[f"attribute[{attribute['code']}]"] = attribute["values"][0]["key"]
                else:
                    form[f"attribute[{attribute['code']}]"] = "检查"
        response = requests.post(self.root + "/requests.json", data=form, timeout=30)
        expect(response.status_code == 200, f"status {response.status_code}: {response.text}")
        receipt = response.json()
        expect(isinstance(receipt, list) and len(receipt) == 1, f"not a one-item list: {receipt}")
        expect(receipt[0].get("service_request_id"), f"no service_request_id: {receipt}")
        expect("token" not in receipt[0], "a realtime service returned a token")
        self.request_id = str(receipt[0]["service_request_id"])

    def request_back(self) -> None:
        expect(self.request_id is not None, "nothing was filed")
        request = self.json.get_service_request(self.request_id)
        expect(str(request["service_request_id"]) == self.request_id, "another request came back")
        expect(request["service_code"] == self.service["service_code"], "wrong service")
        expect(request["status"] == "open", f"status {request['status']}")
        expect(request["requested_datetime"].endswith("+08:00"), f"time without +08:00: {request['requested_datetime']}")
        xml = self.xml.get_service_request(self.request_id)
        expect(xml["service_request_id"] == self.request_id, "XML: another request came back")
        expect(xml["description"] == request["description"], "XML and JSON descriptions differ")

    def request_lists(self) -> None:
        expect(self.request_id is not None, "nothing was filed")
        by_id = self.json.get_service_requests(service_request_id=self.request_id)
        expect([str(r["service_request_id"]) for r in by_id] == [self.request_id], f"by id: {by_id}")
        open_ones = self.json.get_service_requests(service_code=self.service["service_code"], status="open")
        expect(self.request_id in [str(r["service_request_id"]) for r in open_ones], "not among the open requests")
        expect(all(r["status"] == "open" for r in open_ones), "status filter ignored")
        closed = self.json.get_service_requests(status="closed")
        expect(self.request_id not in [str(r["service_request_id"]) for r in closed], "listed as closed")
        recent = as_list(self.xml.get_service_requests())
        expect(self.request_id in [r["service_request_id"] for r in recent], "not in the XML list")

    def no_personal_data(self) -> None:
        expect(self.request_id is not None, "nothing was filed")
        for path in (f"/requests/{self.request_id}.json", f"/requests/{self.request_id}.xml", "/requests.json"):
            body = requests.get(self.root + path, timeout=30).text
            for secret in (PHONE, LAST_NAME + FIRST_NAME, "check@example.com"):
                expect(secret not in body, f"{path} shows {secret}")

    def refusals(self) -> None:
        form = {"api_key": "wrong-key-0000000000", "service_code": self.service["service_code"], "lat": "30", "long": "104"}
        response = requests.post(self.root + "/requests.json", data=form, timeout=30)
        expect(response.status_code == 403, f"bad key: status {response.status_code}")
        expect(response.json()[0]["code"] == 403, f"bad key: {response.text}")
        try:
            self.xml.get_service_definition("NO-SUCH")
        except requests.HTTPError as error:
            expect(error.response.status_code == 404, f"unknown service: {error.response.status_code}")
            expect(b"<errors>" in error.response.content, "unknown service: not an XML errors document")
        else:
            raise Failed("an unknown service was found")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the server, e.g. http://127.0.0.1:8089")
    parser.add_argument("--api-key", default="demo-open311-key")
    parser.add_argument("--jurisdiction", default=None, help="county code, when the server holds several")
    args = parser.parse_args()
    check = Check(args.base, args.api_key, args.jurisdiction)
    check.run("discovery lists a GeoReport v2 endpoint", check.discovery)
    check.run("services (JSON): public subcategories with every field", check.services)
    check.run("services (XML): the same list", check.services_xml)
    check.run("service definition (JSON): the village attribute and the questions", check.definition_json)
    check.run("service definition (XML): the same attributes", check.definition_xml)
    check.run("POST requests: a new request id", check.submit)
    check.run("GET requests/{id} (JSON and XML): the request, open, +08:00", check.request_back)
    check.run("GET requests: by id, by service and status, as XML", check.request_lists)
    check.run("no reporter phone, name or e-mail in any answer", check.no_personal_data)
    check.run("a wrong api_key is 403, an unknown service 404", check.refusals)
    print(f"{check.passed} passed, {check.failed} failed")
    return 0 if check.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
