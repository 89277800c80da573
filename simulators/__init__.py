"""Simulators of outside systems (population registry, SMS and WhatsApp gateways,
SP4N-LAPOR!, an OIDC provider, an SMTP sink). They are NOT the real systems: each runs
as its own process on loopback so SatuPintu's adapters are exercised over a real socket.

    python -m simulators all            # every simulator, ports from simulators.registry
    python -m simulators dukcapil --port 8101

Simulators never import SatuPintu's domain code.
"""
