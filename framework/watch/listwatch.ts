/**
 * The two requests of list+watch for one kind and scope: a page of a list, and a watch stream.
 * Metadata-only targets ask for `PartialObjectMetadata` (and accept full objects from servers that
 * cannot answer that; the informer reduces them).
 */
import type { Readable } from 'node:stream';
import type { Kind, ObjectList } from '../client/index.js';
import { resourcePath, type RestClient } from '../client/index.js';

/** What is listed and watched. */
export interface ListWatchTarget {
  kind: Kind;
  /** Default: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask for `PartialObjectMetadata` instead of whole objects. */
  metadataOnly?: boolean;
}

const metadataListAccept =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const metadataWatchAccept =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

export class ListWatch {
  private readonly path: string;

  constructor(
    private readonly rest: RestClient,
    readonly target: ListWatchTarget,
  ) {
    const kind = target.kind;
    this.path = resourcePath(kind, { namespace: kind.namespaced ? target.namespace : undefined });
  }

  /** One page. Continuation pages must not carry a resourceVersion (the token pins it). */
  listPage(options: {
    resourceVersion?: string;
    resourceVersionMatch?: 'NotOlderThan' | 'Exact';
    limit?: number;
    continue?: string;
    signal?: AbortSignal;
  }): Promise<ObjectList<Record<string, unknown>>> {
    return this.rest.json({
      method: 'GET',
      path: this.path,
      query: {
        labelSelector: this.target.labelSelector,
        fieldSelector: this.target.fieldSelector,
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.continue ? undefined : options.resourceVersion,
        resourceVersionMatch: options.continue ? undefined : options.resourceVersionMatch,
      },
      accept: this.target.metadataOnly ? metadataListAccept : undefined,
      signal: options.signal,
    });
  }

  /** Opens a watch; resolves with the body once the server answered 200. */
  async openWatch(options: {
    resourceVersion?: string;
    timeoutSeconds: number;
    bookmarks: boolean;
    sendInitialEvents?: boolean;
    signal?: AbortSignal;
  }): Promise<Readable> {
    const res = await this.rest.stream({
      method: 'GET',
      path: this.path,
      query: {
        watch: true,
        labelSelector: this.target.labelSelector,
        fieldSelector: this.target.fieldSelector,
        resourceVersion: options.resourceVersion,
        resourceVersionMatch: options.sendInitialEvents ? 'NotOlderThan' : undefined,
        sendInitialEvents: options.sendInitialEvents ? true : undefined,
        allowWatchBookmarks: options.bookmarks ? true : undefined,
        timeoutSeconds: options.timeoutSeconds,
      },
      accept: this.target.metadataOnly ? metadataWatchAccept : undefined,
      signal: options.signal,
    });
    return res.body;
  }
}
