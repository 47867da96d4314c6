/* SPDX-License-Identifier: MIT */
/* An intrusive doubly linked list with a sentinel head (the kernel's list_head, reduced); pure. */
#ifndef ZINIT_LIST_H
#define ZINIT_LIST_H

#include <stdbool.h>
#include <stddef.h>

/* Embedded in each element, and used alone as the head of the list. */
struct list_node {
	struct list_node *prev, *next;
};

/* Static initialiser of an empty list: `static struct list_node l = LIST_INIT(l);` */
#define LIST_INIT(head) { &(head), &(head) }

/* The struct of type @type whose member @member is at @ptr. */
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Every node of @head in order; @pos must not be removed inside the loop. */
#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/** list_init() - make @head an empty list (or @n a detached node). */
static inline void list_init(struct list_node *head)
{
	head->prev = head->next = head;
}

/** list_empty() - whether @head has no element. */
static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

/** list_push_front() - insert @n first in @head. */
static inline void list_push_front(struct list_node *head, struct list_node *n)
{
	n->prev = head;
	n->next = head->next;
	head->next->prev = n;
	head->next = n;
}

/** list_push_back() - insert @n last in @head. */
static inline void list_push_back(struct list_node *head, struct list_node *n)
{
	n->next = head;
	n->prev = head->prev;
	head->prev->next = n;
	head->prev = n;
}

/** list_unlink() - remove @n from its list; @n is left detached (unlinking it again is a no-op). */
static inline void list_unlink(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

#endif
