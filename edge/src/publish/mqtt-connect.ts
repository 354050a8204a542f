/**
 * The agent's one way to open an MQTT connection: mqtt.js's `connect` without the proxy it
 * takes from the environment. mqtt.js reads MQTTJS_SOCKS_PROXY at every connect whose options
 * name no proxy and then dials the proxy instead of the broker, so an inherited variable would
 * send the counts (and the camera's password) through a host nobody configured. The variable
 * is cleared right before each connect, so nothing set after start slips in either.
 */
import { connect as mqttConnect, type IClientOptions, type MqttClient } from 'mqtt';

export type { IClientOptions, MqttClient };

export function connect(url: string, options: IClientOptions): MqttClient {
  delete process.env.MQTTJS_SOCKS_PROXY;
  return mqttConnect(url, options);
}
